namespace SpotMirror.Spotify;

/// <summary>What this process asked of Spotify, for the sync report: Web API calls, tokens fetched, retries made.</summary>
public sealed class SpotifyUsage
{
    private long _calls;
    private long _tokens;
    private long _retries;
    private long _refreshes;

    /// <summary>Web API requests the client made; the resilience handler's resends of them are counted in <see cref="Retries"/>.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Access tokens fetched from the accounts service.</summary>
    public long Tokens => Interlocked.Read(ref _tokens);

    /// <summary>Requests sent again after a 429, a 5xx or a timeout.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Tokens Spotify refused (expired early) and replaced.</summary>
    public long Refreshes => Interlocked.Read(ref _refreshes);

    internal void CountCall() => Interlocked.Increment(ref _calls);

    internal void CountToken() => Interlocked.Increment(ref _tokens);

    internal void CountRetry() => Interlocked.Increment(ref _retries);

    internal void CountRefresh() => Interlocked.Increment(ref _refreshes);
}
