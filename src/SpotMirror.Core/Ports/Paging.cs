namespace SpotMirror.Core.Ports;

/// <summary>
/// A list that can page: the command that made it, the chain of pages it belongs to (named by the first
/// page's message id), how many pages that chain has so far, and every track any of them has shown.
/// </summary>
public sealed record ListPage(string Request, string Chain, int Pages, IReadOnlyList<long> Shown);

/// <summary>What "More" needs to bring the next page of a list without repeating anything shown.</summary>
public interface IListPages
{
    /// <summary>Remembers that a sent message (already in the ledger) is page <paramref name="page"/> of <paramref name="request"/>.</summary>
    Task RecordAsync(IUnitOfWork unit, string platform, string chatId, string messageId, string request, string chain, int page, CancellationToken cancellationToken);

    /// <summary>The page a message shows, with every track of its chain; null for a message that is no page.</summary>
    Task<ListPage?> FindAsync(string platform, string chatId, string messageId, CancellationToken cancellationToken);
}
