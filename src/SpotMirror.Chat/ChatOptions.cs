namespace SpotMirror.Chat;

public sealed record ChatOptions
{
    /// <summary>Commands a user may send in a burst before the limiter steps in.</summary>
    public int RateLimitBurst { get; init; } = 10;
    /// <summary>Seconds for one command's allowance to come back.</summary>
    public double RateLimitRefillSeconds { get; init; } = 2;
    /// <summary>How many recently shown tracks per user are left out of the next lists.</summary>
    public int RecentlyShownWindow { get; init; } = 15;
    /// <summary>Seconds a group lobby gathers before the playlist is made on its own (when nobody says /group go).</summary>
    public int GroupLobbySeconds { get; init; } = 60;
}
