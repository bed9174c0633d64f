using SpotMirror.Core.Ports;
using SpotMirror.Core.Preferences;

namespace SpotMirror.UseCases;

/// <summary>Forget a person: every stored row about them, then their row of the in-memory matrix.</summary>
public sealed class ForgetUseCase(IUserDirectory users, PreferenceMatrix matrix)
{
    /// <summary>True when there was such a person.</summary>
    public async Task<bool> ForgetAsync(long userId, CancellationToken cancellationToken)
    {
        var existed = await users.ForgetAsync(userId, cancellationToken).ConfigureAwait(false);
        matrix.RemoveUser(userId);
        return existed;
    }
}
