namespace SpotMirror.UseCases;

/// <summary>
/// The "Linking" configuration section: how much of a linked account /link imports, and at what weight.
/// The weights sit below explicit reactions (Learning:Like is 1.0 for one track): a track both loved and
/// among the top tracks there counts 0.7, so one 👍 here outweighs anything imported, and one 👎 on a list
/// (-0.7 for each track) cancels it.
/// </summary>
public sealed record LinkOptions
{
    public const string Section = "Linking";

    /// <summary>How many of the account's most played tracks are imported.</summary>
    public int TopTracks { get; init; } = 50;

    /// <summary>How many of the account's loved tracks are imported.</summary>
    public int LovedTracks { get; init; } = 50;

    /// <summary>The preference a top track starts with.</summary>
    public double TopWeight { get; init; } = 0.3;

    /// <summary>The preference a loved track starts with (added to TopWeight when it is both).</summary>
    public double LovedWeight { get; init; } = 0.4;
}
