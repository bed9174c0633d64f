namespace SpotMirror.Chat;

/// <summary>
/// The one exponential backoff of the adapters' own loops (gateway reconnects, poll restarts, outbox
/// retries, commit retries). HTTP calls do not use it: they retry inside their clients' Polly pipelines.
/// </summary>
/// <param name="First">The wait after the first failure; each further failure doubles it.</param>
/// <param name="Max">The longest wait, before jitter.</param>
/// <param name="Jitter">Up to this fraction is added at random, so restarted bots do not march in step.</param>
public sealed record Backoff(TimeSpan First, TimeSpan Max, double Jitter = 0.2)
{
    /// <summary>The wait after this many failures in a row (1 for the first).</summary>
    public TimeSpan Delay(int failures)
    {
        var doublings = Math.Clamp(failures - 1, 0, 30);
        var seconds = Math.Min(Max.TotalSeconds, First.TotalSeconds * Math.Pow(2, doublings));
        return TimeSpan.FromSeconds(seconds * (1 + (Jitter * Random.Shared.NextDouble())));
    }
}
