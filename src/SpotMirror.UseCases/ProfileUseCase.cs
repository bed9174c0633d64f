using SpotMirror.Core;

namespace SpotMirror.UseCases;

/// <summary>A person's taste as learned (top artists, tags and moods; how many tracks liked and hidden), as of now.</summary>
public sealed class ProfileUseCase(Recommender recommender, TimeProvider clock)
{
    public TasteProfile Of(long userId) => recommender.Profile(userId, clock.GetUtcNow());
}
