using SpotMirror.Core.Ports;
using SpotMirror.Core.Preferences;

namespace SpotMirror.UseCases;

/// <summary>Forget a person: every stored row about them, then (once that commits) their row of the in-memory matrix.</summary>
public sealed class ForgetUseCase(IUserDirectory users, PreferenceMatrix matrix)
{
    /// <summary>True when there was such a person.</summary>
    public async Task<bool> ForgetAsync(IUnitOfWork unit, long userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        var existed = await users.ForgetAsync(unit, userId, cancellationToken).ConfigureAwait(false);
        unit.OnCommitted(() => matrix.RemoveUser(userId));
        return existed;
    }
}
