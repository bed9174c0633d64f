namespace SpotMirror.Core.Service;

/// <summary>
/// One thing /health/ready waits for: the storage, or a bot's link to its platform. ProblemAsync answers
/// null when all is well, else a short sentence (never a secret) saying what is not.
/// </summary>
public interface IReadinessCheck
{
    string Name { get; }

    Task<string?> ProblemAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Whether a bot is connected to its platform right now, as its own loop sees it: the Discord gateway after
/// READY or RESUMED until the socket ends, the Telegram poller while its polls succeed. Not connected until
/// the first success, so a bot that never reaches its platform never reads as ready.
/// </summary>
public sealed class ConnectionState(string name) : IReadinessCheck
{
    private volatile string? _problem = "not connected yet";

    public string Name { get; } = name;

    public bool Connected => _problem is null;

    public void MarkConnected() => _problem = null;

    /// <param name="why">A sentence for the readiness report; callers pass it redacted.</param>
    public void MarkDisconnected(string why) => _problem = "not connected: " + why;

    public Task<string?> ProblemAsync(CancellationToken cancellationToken) => Task.FromResult(_problem);
}
