namespace SpotMirror.Testing.LastFm;

/// <summary>A failure the fake Last.fm plays instead of its normal answer to one request.</summary>
public abstract record LastFmFault
{
    private protected LastFmFault()
    {
    }

    /// <summary>Last.fm's error envelope, {"message": ..., "error": code}, with the status Last.fm pairs with it.</summary>
    public static LastFmFault ApiError(int code, string message) => new Error(code, message);

    /// <summary>Error 29, as Last.fm answers a client that calls too often.</summary>
    public static LastFmFault RateLimited { get; } = new Error(29,
        "Rate Limit Exceeded - This application has made too many requests in a short period.");

    /// <summary>Error 6: what Last.fm says for a track or user it does not know.</summary>
    public static LastFmFault NotFound(string message = "Track not found") => new Error(6, message);

    /// <summary>Error 10 for a key Last.fm does not accept.</summary>
    public static LastFmFault InvalidKey { get; } = new Error(10, "Invalid API key - You must be granted a valid key by last.fm");

    /// <summary>An HTML error page with this status (500 by default), as a failing front end sends.</summary>
    public static LastFmFault HttpError(int status = 500) => new Html(status);

    /// <summary>Status 200 and the first half of the real answer: JSON cut off mid-way.</summary>
    public static LastFmFault MalformedJson { get; } = new Truncated();

    /// <summary>No answer at all: the request is held until the client gives up (or the fake stops).</summary>
    public static LastFmFault Slow { get; } = new Held();

    internal sealed record Error(int Code, string Message) : LastFmFault;

    internal sealed record Html(int Status) : LastFmFault;

    internal sealed record Truncated : LastFmFault;

    internal sealed record Held : LastFmFault;
}

/// <summary>Faults waiting for the next matching requests of each method; each is played once.</summary>
internal sealed class LastFmFaultPlan
{
    private readonly Lock _gate = new();
    private readonly List<Entry> _entries = [];

    public void Add(string method, LastFmFault fault, int times, Func<LastFmRequest, bool>? when)
    {
        lock (_gate) _entries.Add(new Entry(method, fault, when) { Left = times });
    }

    public LastFmFault? Take(LastFmRequest request)
    {
        lock (_gate)
        {
            var entry = _entries.FirstOrDefault(e => e.Left > 0 && e.Method.Equals(request.Method, StringComparison.OrdinalIgnoreCase) && (e.When?.Invoke(request) ?? true));
            if (entry is null) return null;
            entry.Left--;
            return entry.Fault;
        }
    }

    public void Clear()
    {
        lock (_gate) _entries.Clear();
    }

    private sealed record Entry(string Method, LastFmFault Fault, Func<LastFmRequest, bool>? When)
    {
        public int Left { get; set; }
    }
}
