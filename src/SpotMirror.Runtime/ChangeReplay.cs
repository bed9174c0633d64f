using SpotMirror.Core.Ports;
using SpotMirror.Core.Preferences;

namespace SpotMirror.Runtime;

/// <summary>What a change in the feed does to the preference matrix, the same for the follower and the snapshot's replay.</summary>
internal static class ChangeReplay
{
    /// <summary>Applies a change of cells or a forgotten user; false for the kinds the matrix does not hold (catalogue, model).</summary>
    public static bool ApplyTo(this Change change, PreferenceMatrix matrix)
    {
        switch (change.Kind)
        {
            case ChangeKind.Preferences:
                matrix.Set(change.Entries);
                return true;
            case ChangeKind.Forget when change.UserId is { } userId:
                matrix.RemoveUser(userId);
                return true;
            default:
                return false;
        }
    }
}
