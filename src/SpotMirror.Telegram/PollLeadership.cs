using Microsoft.Extensions.Logging;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Service;

namespace SpotMirror.Telegram;

/// <summary>
/// Which worker polls a bot: the holder of the lease "telegram-poll:&lt;bot id&gt;" in the shared database. Telegram
/// itself would end one of two pollers with 409, but only after both had fetched (and maybe handled) the same
/// updates; the lease keeps the second one from asking at all. A leader renews every 3 s and stops polling when
/// another holds the lease or no renewal has succeeded for 6 s, before its 10 s can run out; a standby asks every
/// 2.5 s, so it takes over at most about 12.5 s after a leader died without a word (a stopping leader releases
/// the lease at once).
/// </summary>
public sealed partial class PollLeadership(ILeases leases, TimeProvider clock, ILogger<PollLeadership> logger) : IReadinessCheck
{
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan StandbyRetry = TimeSpan.FromMilliseconds(2500);

    /// <summary>Time since the last good renewal was sent after which a leader stops: 4 s before the lease could run out.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(6);

    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(1);

    /// <summary>A stop waits this long at most to release the lease.</summary>
    private static readonly TimeSpan ReleasePatience = TimeSpan.FromSeconds(2);

    /// <summary>This process as a holder: unique per start, so a restarted worker never takes its old lease for its own.</summary>
    private readonly string _holder = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private volatile string _role = "not polling";
    private long _acquiredAt;

    /// <summary>True while this worker holds the poll lease (and so also sends the replies the polls queued).</summary>
    public bool IsLeader => _role == "leader";

    /// <summary>This worker's latest spell of holding the lease (its fencing token), which every batch commit checks.</summary>
    public LeaseFence? Fence { get; private set; }

    public static string LeaseName(long botId) => $"telegram-poll:{botId}";

    /// <summary>
    /// A check that always passes (a standby is healthy: it is ready to take over) but whose name says the role,
    /// "telegram-poll: leader" or "telegram-poll: standby" ("not polling" before getMe and in webhook mode), so
    /// /health/ready shows which worker polls.
    /// </summary>
    public string Name => "telegram-poll: " + _role;

    public Task<string?> ProblemAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    /// <summary>Returns once this worker holds the lease, trying every 2.5 s; says once per spell that it waits as standby.</summary>
    public async Task AcquireAsync(string name, CancellationToken cancellationToken)
    {
        var saidStandby = false;
        while (true)
        {
            var sent = clock.GetTimestamp();
            try
            {
                var lease = await leases.TryAcquireAsync(name, _holder, Duration, cancellationToken).ConfigureAwait(false);
                if (lease.Holder == _holder)
                {
                    _acquiredAt = sent;
                    Fence = lease.Fence;
                    _role = "leader";
                    LogLeader(logger, name);
                    return;
                }
                if (!saidStandby) LogStandby(logger, name, lease.Holder, lease.ExpiresAt);
            }
#pragma warning disable CA1031 // The database unreachable or refusing: wait as standby and ask again, never end the bot.
            catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
            {
                if (!saidStandby) LogLeaseUnavailable(logger, name, exception.Message);
            }
            saidStandby = true;
            _role = "standby";
            await Task.Delay(StandbyRetry, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Renews every 3 s until <paramref name="cancellationToken"/> ends (a stop, or polling ended). A renewal that
    /// errs is tried again each second; once 6 s have passed since the last renewal that succeeded was sent (the
    /// lease itself lasts 10 s from then on the database's clock), or at once when another worker holds the lease,
    /// it cancels <paramref name="lost"/> and returns, so a leader stops polling before its lease can run out.
    /// </summary>
    public async Task KeepAsync(string name, CancellationTokenSource lost, CancellationToken cancellationToken)
    {
        var lastGood = _acquiredAt;
        string? trouble = null;
        try
        {
            while (true)
            {
                await Task.Delay(trouble is null ? RenewEvery : RetryEvery, clock, cancellationToken).ConfigureAwait(false);
                var sent = clock.GetTimestamp();
                var left = GiveUpAfter - clock.GetElapsedTime(lastGood);
                string? why = null;
                if (left <= TimeSpan.Zero)
                {
                    why = trouble ?? "no renewal succeeded in time";
                }
                else
                {
                    try
                    {
                        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                        patience.CancelAfter(left);
                        if (await leases.RenewAsync(name, _holder, Duration, patience.Token).ConfigureAwait(false))
                        {
                            lastGood = sent;
                            trouble = null;
                            continue;
                        }
                        why = "another worker holds it now";
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        why = $"the database did not answer a renewal within {GiveUpAfter.TotalSeconds:0} s";
                    }
#pragma warning disable CA1031 // Whatever the database says, a renewal that did not succeed counts against the time left.
                    catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
                    {
                        trouble = exception.Message;
                        continue;
                    }
                }
                _role = "standby";
                LogLost(logger, name, why);
                await lost.CancelAsync().ConfigureAwait(false);
                return;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Polling ended: the caller releases or re-acquires.
        }
    }

    /// <summary>Gives the lease up so a standby takes over at its next try rather than after the lease runs out.</summary>
    public async Task ReleaseAsync(string name)
    {
        _role = "standby";
        try
        {
            // Bounded: a stop must not wait on an unreachable database; the lease then just runs out.
            using var patience = new CancellationTokenSource(ReleasePatience);
            await leases.ReleaseAsync(name, _holder, patience.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A stop goes on whatever the release met; the lease then just runs out.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogLeaseUnavailable(logger, name, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram: this worker now polls (it holds the lease {Lease})")]
    private static partial void LogLeader(ILogger logger, string lease);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram: standby; {Holder} polls (lease {Lease} until {Until:u}), this worker takes over if it stops renewing")]
    private static partial void LogStandby(ILogger logger, string lease, string holder, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram: lost the lease {Lease} ({Reason}); stopped polling, now standby")]
    private static partial void LogLost(ILogger logger, string lease, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram: the lease {Lease} could not be read or written ({Reason}); standby, trying again")]
    private static partial void LogLeaseUnavailable(ILogger logger, string lease, string reason);
}
