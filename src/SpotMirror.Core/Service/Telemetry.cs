using System.Diagnostics;
using System.Diagnostics.Metrics;
using SpotMirror.Core.Engines;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Ranking;

namespace SpotMirror.Core.Service;

/// <summary>
/// The service's own metrics on one Meter ("SpotMirror"), which the HTTP front end exports as Prometheus
/// text at /metrics. It sits in Core because every room records into it and Core is the one room they all
/// import; it is the BCL's metrics API, so Core stays free of packages.
/// </summary>
public static class Telemetry
{
    public const string MeterName = "SpotMirror";

    private static readonly Meter Meter = new(MeterName);
    private static long _learnedFittedAtMs = -1;
    private static long _telegramPolledAt = -1;

    private static readonly Counter<long> Recommendations = Meter.CreateCounter<long>(
        "spotmirror.recommendations", "{track}",
        "Tracks recommended, by the engine that contributed most to each (none: a varied pick) and the kind of list (path).");

    private static readonly Counter<long> Feedback = Meter.CreateCounter<long>(
        "spotmirror.feedback.events", "{event}", "Feedback events committed, by outcome (applied, duplicate, no-change).");

    private static readonly Histogram<double> BatchCommit = Meter.CreateHistogram<double>(
        "spotmirror.batch.commit.duration", "s", "Time to commit one batch of inbound events together with its checkpoint.");

    private static readonly Counter<long> Commits = Meter.CreateCounter<long>(
        "spotmirror.storage.commits", "{commit}", "Write transactions committed (group commit puts several units of work in one).");

    private static readonly Counter<long> Units = Meter.CreateCounter<long>(
        "spotmirror.storage.units", "{unit}", "Units of work committed; divided by the commits, how many units a commit carried.");

    private static readonly Counter<long> Reconnects = Meter.CreateCounter<long>(
        "spotmirror.gateway.reconnects", "{reconnect}", "Discord gateway connections after the first (resume or new session).");

    static Telemetry()
    {
        Meter.CreateObservableGauge("spotmirror.learned.model.age", LearnedAge, "s",
            "Seconds since the learned model in use was fitted (no value before the first model).");
        Meter.CreateObservableGauge("spotmirror.telegram.poll.lag", PollLag, "s",
            "Seconds since the Telegram poller last finished a getUpdates round (no value when it does not poll).");
    }

    /// <summary>
    /// Counts a list's tracks by (engine, path): at most six engine values (five engines and none) times the six
    /// paths, so the series stay few whatever the catalogue or the people.
    /// </summary>
    public static void Recommended(string path, IReadOnlyList<Recommendation> tracks)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        foreach (var group in tracks.GroupBy(t => t.Engine))
        {
            Recommendations.Add(group.Count(),
                new KeyValuePair<string, object?>("engine", group.Key is { } engine ? engine.Name() : "none"),
                new KeyValuePair<string, object?>("path", path));
        }
    }

    public static void FeedbackCommitted(FeedbackOutcome outcome) => Feedback.Add(1, new KeyValuePair<string, object?>("outcome", outcome switch
    {
        FeedbackOutcome.Applied => "applied",
        FeedbackOutcome.Duplicate => "duplicate",
        _ => "no-change",
    }));

    public static void BatchCommitted(string connection, TimeSpan duration) =>
        BatchCommit.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("connection", ConnectionKind(connection)));

    /// <summary>One write transaction committed, carrying this many units of work.</summary>
    public static void UnitsCommitted(int units)
    {
        Commits.Add(1);
        Units.Add(units);
    }

    public static void GatewayReconnected(bool resuming) =>
        Reconnects.Add(1, new KeyValuePair<string, object?>("kind", resuming ? "resume" : "identify"));

    /// <summary>The model in use was fitted at this moment (now for a fresh fit, the file's time for a loaded one).</summary>
    public static void LearnedModelFitted(DateTimeOffset at) => Volatile.Write(ref _learnedFittedAtMs, at.ToUnixTimeMilliseconds());

    public static void TelegramPolled() => Volatile.Write(ref _telegramPolledAt, Stopwatch.GetTimestamp());

    private static IEnumerable<Measurement<double>> LearnedAge()
    {
        var at = Volatile.Read(ref _learnedFittedAtMs);
        if (at < 0) return [];
        return [new Measurement<double>(Math.Max(0, (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - at) / 1000.0))];
    }

    private static IEnumerable<Measurement<double>> PollLag()
    {
        var at = Volatile.Read(ref _telegramPolledAt);
        return at < 0 ? [] : [new Measurement<double>(Stopwatch.GetElapsedTime(at).TotalSeconds)];
    }

    /// <summary>
    /// "telegram:12345" as "telegram": a bot's id would make one series per bot and says nothing an operator
    /// needs. The group lobby timer's own commits ("telegram:groups") keep their name.
    /// </summary>
    private static string ConnectionKind(string connection)
    {
        var colon = connection.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 || connection.EndsWith(":groups", StringComparison.Ordinal) ? connection : connection[..colon];
    }
}
