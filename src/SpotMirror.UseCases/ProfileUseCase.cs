using SpotMirror.Core;
using SpotMirror.Core.Ports;

namespace SpotMirror.UseCases;

/// <summary>A person's taste as learned (top artists, tags and moods; how many tracks liked and hidden), as of now.</summary>
public sealed class ProfileUseCase(Recommender recommender, TimeProvider clock)
{
    public TasteProfile Of(long userId) => recommender.Profile(userId, clock.GetUtcNow());

    /// <summary>What the taste picture shows of a person: liked tracks on the mood plane, top tags and artists, reactions by day.</summary>
    public Task<TasteData> TasteAsync(IPersonalRecords records, long userId, CancellationToken cancellationToken) =>
        TasteData.GatherAsync(recommender, records, userId, clock.GetUtcNow(), cancellationToken);
}
