using Dapper;
using SpotMirror.Core.Ports;

namespace SpotMirror.Storage;

/// <summary>Which request each sent list answered and which chain of pages it belongs to, beside the ledger.</summary>
public sealed class SqlListPages(IDatabase database) : IListPages
{
    private sealed record PageRow(string Request, string Chain);

    public Task RecordAsync(IUnitOfWork unit, string platform, string chatId, string messageId, string request, string chain, int page, CancellationToken cancellationToken) =>
        database.WriteAsync(unit, (connection, transaction) => connection.ExecuteAsync(
            """
            INSERT INTO list_pages (platform, chat_id, message_id, request, chain, page)
            VALUES (@platform, @chatId, @messageId, @request, @chain, @page)
            ON CONFLICT DO NOTHING
            """,
            new { platform, chatId, messageId, request, chain, page }, transaction), cancellationToken);

    public Task<ListPage?> FindAsync(string platform, string chatId, string messageId, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<PageRow>(
                "SELECT request, chain FROM list_pages WHERE platform = @platform AND chat_id = @chatId AND message_id = @messageId",
                new { platform, chatId, messageId }).ConfigureAwait(false);
            if (row is null) return null;
            var shown = await connection.QueryAsync<long>(
                """
                SELECT DISTINCT t.track_id FROM list_pages p
                JOIN sent_message_tracks t ON t.platform = p.platform AND t.chat_id = p.chat_id AND t.message_id = p.message_id
                WHERE p.platform = @platform AND p.chat_id = @chatId AND p.chain = @chain
                """,
                new { platform, chatId, chain = row.Chain }).ConfigureAwait(false);
            // More on an earlier page still brings the chain's next page, so the count is the chain's, not this message's.
            var pages = await connection.ExecuteScalarAsync<long>(
                "SELECT MAX(page) FROM list_pages WHERE platform = @platform AND chat_id = @chatId AND chain = @chain",
                new { platform, chatId, chain = row.Chain }).ConfigureAwait(false);
            return new ListPage(row.Request, row.Chain, (int)pages, shown.ToList());
        }, cancellationToken);
}
