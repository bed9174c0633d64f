using System.Diagnostics;
using Dapper;
using SpotMirror.Testing;
using SpotMirror.Testing.Telegram;

namespace SpotMirror.Worker.Tests.Telegram;

/// <summary>
/// The real spotmirror process running its Telegram bot against the loopback fake, over a temp database:
/// what `dotnet run` does with Telegram:Token set, minus the internet.
/// </summary>
public sealed class TelegramBotProcess : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempDatabase _db;
    private readonly bool _ownsDatabase;
    private readonly bool _ownsFake = true;
    private readonly System.Text.StringBuilder _log = new();
    private Process _process;

    private readonly IReadOnlyDictionary<string, string?> _extra;

    private TelegramBotProcess(FakeTelegramServer fake, TempDatabase db, bool ownsDatabase, IReadOnlyDictionary<string, string?> extra)
    {
        Fake = fake;
        _db = db;
        _ownsDatabase = ownsDatabase;
        _extra = extra;
        _process = Launch();
    }

    /// <summary>A second worker on the same database and the same fake (the same bot): disposing it leaves both to the first.</summary>
    public TelegramBotProcess Beside() => new(Fake, _db, ownsDatabase: false, _extra, ownsFake: false);

    /// <summary>As <see cref="Beside()"/>, with some settings of its own (its own HTTP port).</summary>
    public TelegramBotProcess Beside(IReadOnlyDictionary<string, string?> overrides) =>
        new(Fake, _db, ownsDatabase: false, new Dictionary<string, string?>(_extra.Where(e => !overrides.ContainsKey(e.Key)).Concat(overrides)), ownsFake: false);

    private TelegramBotProcess(FakeTelegramServer fake, TempDatabase db, bool ownsDatabase, IReadOnlyDictionary<string, string?> extra, bool ownsFake)
        : this(fake, db, ownsDatabase, extra)
    {
        _ownsFake = ownsFake;
    }

    public FakeTelegramServer Fake { get; }
    public string DatabasePath => _db.Path;

    /// <param name="settings">More configuration, as environment variables (Chat__GroupLobbySeconds, ...).</param>
    /// <param name="beforeStart">Scripts the fake before the bot's first request (faults at start-up).</param>
    public static async Task<TelegramBotProcess> StartAsync(
        TempDatabase? db = null, IReadOnlyDictionary<string, string?>? settings = null, Action<FakeTelegramServer>? beforeStart = null)
    {
        var fake = await FakeTelegramServer.StartAsync();
        beforeStart?.Invoke(fake);
        return new TelegramBotProcess(fake, db ?? new TempDatabase(), ownsDatabase: db is null, settings ?? new Dictionary<string, string?>());
    }

    private Process Launch()
    {
        var process = SpotMirrorProcess.Start(["run", "--db", _db.Path], Settings);
        // Drain both pipes, or a chatty log fills the pipe buffer and the bot blocks on a write.
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (_log) _log.AppendLine(e.Data);
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    private Dictionary<string, string?> Settings => new(_extra.Concat(Defaults.Where(d => !_extra.ContainsKey(d.Key))));

    private Dictionary<string, string?> Defaults => new()
    {
        ["Telegram__Token"] = Fake.Token,
        ["Telegram__BaseUrl"] = Fake.BaseUrl,
        // Short polls keep the tests brisk; the fake holds each one as Telegram would.
        ["Telegram__PollTimeoutSeconds"] = "2",
        ["Telegram__PerChatIntervalSeconds"] = "0",
        ["Http__Enabled"] = "false",
    };

    /// <summary>Kills the process outright (no shutdown, no flush): what a crash or an OOM kill does.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    /// <summary>SIGTERM, as a supervisor stops a worker, and waits for the exit; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        using (Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) { }
        using var patience = new CancellationTokenSource(Patience);
        await _process.WaitForExitAsync(patience.Token);
        return _process.ExitCode;
    }

    /// <summary>Waits until the log holds <paramref name="text"/> (a line the process writes once something happened).</summary>
    public Task WaitForLogAsync(string text, TimeSpan patience) =>
        Eventually.WaitAsync(() => Task.FromResult(Log), log => log.Contains(text, StringComparison.Ordinal), patience,
            _ => $"the log never said \"{text}\"; log:\n{Log}");

    /// <summary>A new process on the same database and the same fake, as after a restart.</summary>
    public void Restart() => _process = Launch();

    public bool HasExited => _process.HasExited;

    /// <summary>What the processes wrote to standard error so far (their log), for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log) return _log.ToString();
        }
    }

    public Task<T> QueryAsync<T>(string sql, object? parameters = null) =>
        _db.Database.ReadAsync(async c => (await c.ExecuteScalarAsync<T>(sql, parameters))!, CancellationToken.None);

    /// <summary>A track's stored preference score for a Telegram user, or null when there is none.</summary>
    public Task<double?> ScoreAsync(long telegramUserId, long trackId) =>
        _db.Database.ReadAsync(c => c.ExecuteScalarAsync<double?>(
            """
            SELECT p.score FROM preferences p JOIN users u ON u.id = p.user_id
            WHERE u.platform = 'telegram' AND u.platform_user_id = @user AND p.track_id = @trackId
            """, new { user = telegramUserId.ToString(), trackId }), CancellationToken.None);

    /// <summary>The track ids a sent message shows, from the ledger, in order.</summary>
    public async Task<IReadOnlyList<long>> LedgerAsync(long chatId, long messageId) =>
        (await _db.Database.ReadAsync(c => c.QueryAsync<long>(
            """
            SELECT track_id FROM sent_message_tracks
            WHERE platform = 'telegram' AND chat_id = @chat AND message_id = @message ORDER BY position
            """, new { chat = chatId.ToString(), message = messageId.ToString() }), CancellationToken.None)).ToList();

    /// <summary>
    /// The ledger's tracks for a message, once the bot has recorded it: the fake sees a message a moment
    /// before the bot has the answer and commits its ledger row.
    /// </summary>
    public Task<IReadOnlyList<long>> WaitForLedgerAsync(long chatId, long messageId) =>
        Eventually.WaitAsync(() => LedgerAsync(chatId, messageId), tracks => tracks.Count > 0, Patience,
            _ => $"message {messageId} in chat {chatId} never reached the ledger; log:\n{Log}");

    /// <summary>Waits until the outbox has marked this many replies sent.</summary>
    public Task WaitForSentAsync(long count) =>
        Eventually.WaitAsync(() => QueryAsync<long>("SELECT COUNT(*) FROM outbox WHERE state = 'sent'"), sent => sent >= count, Patience,
            sent => $"only {sent} of {count} replies were marked sent; log:\n{Log}");

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        if (_ownsFake) await Fake.DisposeAsync();
        if (_ownsDatabase) _db.Dispose();
    }
}
