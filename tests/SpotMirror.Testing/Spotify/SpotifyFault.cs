namespace SpotMirror.Testing.Spotify;

/// <summary>A failure the fake Spotify plays instead of its normal answer to one request.</summary>
public abstract record SpotifyFault
{
    private protected SpotifyFault()
    {
    }

    /// <summary>429 with Retry-After in whole seconds, as Spotify answers an app over its rolling limit.</summary>
    public static SpotifyFault RateLimited(int retryAfterSeconds) => new Limited(retryAfterSeconds);

    /// <summary>401 "The access token expired", and the token in use stops working from then on.</summary>
    public static SpotifyFault TokenExpired { get; } = new Expired();

    /// <summary>A server error with Spotify's error object (500, 502, 503).</summary>
    public static SpotifyFault ServerError(int status = 500) => new Server(status);

    /// <summary>Status 200 and the first half of the real answer: JSON cut off mid-way.</summary>
    public static SpotifyFault MalformedJson { get; } = new Truncated();

    /// <summary>No answer at all: the request is held until the client gives up (or the fake stops).</summary>
    public static SpotifyFault Slow { get; } = new Held();

    internal sealed record Limited(int RetryAfterSeconds) : SpotifyFault;

    internal sealed record Expired : SpotifyFault;

    internal sealed record Server(int Status) : SpotifyFault;

    internal sealed record Truncated : SpotifyFault;

    internal sealed record Held : SpotifyFault;
}

/// <summary>Faults waiting for the next matching requests of each route; each is played once.</summary>
internal sealed class SpotifyFaultPlan
{
    private readonly Lock _gate = new();
    private readonly List<Entry> _entries = [];

    public void Add(string route, SpotifyFault fault, int times, Func<SpotifyRequest, bool>? when)
    {
        lock (_gate) _entries.Add(new Entry(route, fault, when) { Left = times });
    }

    public SpotifyFault? Take(SpotifyRequest request)
    {
        lock (_gate)
        {
            var entry = _entries.FirstOrDefault(e => e.Left > 0 && e.Route == request.Route && (e.When?.Invoke(request) ?? true));
            if (entry is null) return null;
            entry.Left--;
            return entry.Fault;
        }
    }

    public void Clear()
    {
        lock (_gate) _entries.Clear();
    }

    private sealed record Entry(string Route, SpotifyFault Fault, Func<SpotifyRequest, bool>? When)
    {
        public int Left { get; set; }
    }
}
