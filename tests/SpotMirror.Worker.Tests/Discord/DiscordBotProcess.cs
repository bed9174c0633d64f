using System.Diagnostics;
using System.Text;
using Dapper;
using SpotMirror.Testing;
using SpotMirror.Testing.Discord;

namespace SpotMirror.Worker.Tests.Discord;

/// <summary>The real spotmirror process running its Discord bot against the loopback fake Discord, over a temp database.</summary>
public sealed class DiscordBotProcess : IAsyncDisposable
{
    // A bound on waits, not a timing claim: on a 2-core machine under a full parallel test run a real process
    // answered its first interaction after more than 30 s, so Discord waits as long as Telegram's (60 s).
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempDatabase _db = new();
    private readonly StringBuilder _log = new();
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly List<Process> _siblings = [];
    private Process _process;

    private DiscordBotProcess(FakeDiscordServer fake, IReadOnlyDictionary<string, string?> settings)
    {
        Fake = fake;
        _settings = settings;
        _process = Launch(_settings, _log);
    }

    public FakeDiscordServer Fake { get; }
    public string DatabasePath => _db.Path;

    public string Log
    {
        get
        {
            lock (_log) return _log.ToString();
        }
    }

    public static async Task<DiscordBotProcess> StartAsync() => new(await FakeDiscordServer.StartAsync(), new Dictionary<string, string?>());

    /// <summary>The process as one shard of several (Discord:ShardId / Discord:ShardCount) against a fake with these options.</summary>
    public static async Task<DiscordBotProcess> StartShardAsync(FakeDiscordOptions options, int shardId, int shardCount) =>
        new(await FakeDiscordServer.StartAsync(options), Shard(shardId, shardCount));

    /// <summary>Another worker process on the same database and fake, as another shard; its log is its own.</summary>
    public StringBuilder StartSiblingShard(int shardId, int shardCount)
    {
        var log = new StringBuilder();
        _siblings.Add(Launch(Shard(shardId, shardCount), log));
        return log;
    }

    private static Dictionary<string, string?> Shard(int shardId, int shardCount) => new()
    {
        ["Discord__ShardId"] = shardId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Discord__ShardCount"] = shardCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private Process Launch(IReadOnlyDictionary<string, string?> settings, StringBuilder log)
    {
        var environment = new Dictionary<string, string?>(settings)
        {
            ["Discord__Token"] = Fake.Token,
            ["Discord__ApiBaseUrl"] = Fake.ApiBaseUrl,
            ["Http__Enabled"] = "false",
        };
        var process = SpotMirrorProcess.Start(["run", "--db", _db.Path], environment);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (log) log.AppendLine(e.Data);
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Kills the process outright, as a crash would.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    public void Restart() => _process = Launch(_settings, _log);

    public Task<long> CountAsync(string sql, object? parameters = null) =>
        _db.Database.ReadAsync(c => c.ExecuteScalarAsync<long>(sql, parameters), CancellationToken.None);

    public async Task<IReadOnlyList<T>> ListAsync<T>(string sql, object? parameters = null) =>
        (await _db.Database.ReadAsync(c => c.QueryAsync<T>(sql, parameters), CancellationToken.None)).ToList();

    public Task<double?> ScoreAsync(string discordUserId, long trackId) =>
        _db.Database.ReadAsync(c => c.ExecuteScalarAsync<double?>(
            """
            SELECT p.score FROM preferences p JOIN users u ON u.id = p.user_id
            WHERE u.platform = 'discord' AND u.platform_user_id = @discordUserId AND p.track_id = @trackId
            """, new { discordUserId, trackId }), CancellationToken.None);

    /// <summary>The ledger's tracks for a message, once the bot has recorded it.</summary>
    public Task<List<long>> WaitForLedgerAsync(string channelId, string messageId) =>
        Eventually.WaitAsync(
            async () => (await _db.Database.ReadAsync(c => c.QueryAsync<long>(
                "SELECT track_id FROM sent_message_tracks WHERE platform = 'discord' AND chat_id = @channelId AND message_id = @messageId ORDER BY position",
                new { channelId, messageId }), CancellationToken.None)).ToList(),
            tracks => tracks.Count > 0, Patience, _ => $"message {messageId} never reached the ledger; log:\n{Log}");

    /// <summary>Waits until a query's count reaches the expected value (effects land a moment after the fake sees the event).</summary>
    public Task WaitForCountAsync(string sql, long expected, object? parameters = null) =>
        Eventually.WaitAsync(() => CountAsync(sql, parameters), count => count == expected, Patience,
            count => $"\"{sql}\" never reached {expected} (now {count}); log:\n{Log}");

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _siblings.Append(_process))
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            process.Dispose();
        }
        await Fake.DisposeAsync();
        _db.Dispose();
    }
}
