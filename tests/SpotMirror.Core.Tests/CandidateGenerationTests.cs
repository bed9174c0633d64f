using SpotMirror.Core.Catalog;
using SpotMirror.Core.Engines;
using SpotMirror.Core.Preferences;
using SpotMirror.Core.Ranking;
using SpotMirror.Testing;

namespace SpotMirror.Core.Tests;

/// <summary>The first stage on a catalogue too large to scan: what a full scan ranks first is among the few thousand candidates.</summary>
public sealed class CandidateGenerationTests : IDisposable
{
    private const int Tracks = 20_000;
    private static readonly DateTimeOffset At = DateTimeOffset.UnixEpoch;
    private static readonly HybridOptions Blend = new() { Collaborative = 0.2f, Content = 0.1f, LearnedFactors = 16, LearnedEpochs = 6 };
    private readonly CatalogIndex _catalog = CatalogIndex.Build(SyntheticCatalog.Tracks(Tracks, seed: 5));
    private readonly PreferenceMatrix _matrix = new(new PreferenceLearner(new LearningOptions()), At);
    private readonly Recommender _scan;
    private readonly Recommender _staged;
    private readonly LearnedEngine _learned = new();

    public CandidateGenerationTests()
    {
        var tracks = Enumerable.Range(0, _catalog.Count).Select(i => _catalog[i]).ToList();
        _matrix.Load(SyntheticCatalog.Preferences(tracks, users: 300, perUser: 30, seed: 5, At));
        _scan = new Recommender(_catalog, _matrix, Blend with { FullScanUpTo = int.MaxValue });
        _staged = new Recommender(_catalog, _matrix, Blend with { FullScanUpTo = 0 });
        var model = _scan.FitLearned(Blend.LearnedSettings());
        foreach (var engine in new[] { _scan.Learned, _staged.Learned, _learned }) engine.Publish(model);
    }

    public void Dispose() => _matrix.Dispose();

    [Theory]
    [InlineData("recommend", null, false)]
    [InlineData("named mood", "chill", false)]
    [InlineData("free-text mood", "rainy sunday", false)]
    [InlineData("similar", null, true)]
    public void What_the_full_scan_ranks_first_is_among_the_candidates(string request, string? mood, bool similar)
    {
        for (var user = 1L; user <= 40; user++)
        {
            var ask = Ask(user, mood, similar);
            var first = _scan.Recommend(ask)[0].Item;
            var context = new ScoringContext(_catalog, _matrix.TasteOf(user), ask.Mood, ask.Seed?.Items);

            var candidates = CandidateGenerator.For(context, new UserKnnEngine(_matrix), _learned, useCollaborative: true, useLearned: true);

            Assert.True(candidates.Contains(first), $"{request}, user {user}: the scan's first {first} is not among {candidates.Length} candidates");
            Assert.InRange(candidates.Length, 1, 5_000);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("chill")]
    [InlineData("rainy sunday")]
    public void A_request_after_another_on_the_same_thread_gets_the_candidates_a_fresh_thread_would(string? mood)
    {
        var knn = new UserKnnEngine(_matrix);
        int[] Candidates(long user)
        {
            var ask = Ask(user, mood, false);
            return CandidateGenerator.For(new ScoringContext(_catalog, _matrix.TasteOf(user), ask.Mood), knn, _learned, useCollaborative: true, useLearned: true);
        }
        int[] fresh = [];
        var thread = new Thread(() => fresh = Candidates(7));
        thread.Start();
        thread.Join();

        Candidates(3);
        var after = Candidates(7);

        Assert.Equal(fresh, after);
    }

    [Fact]
    public void The_staged_answer_mostly_agrees_with_the_full_scan()
    {
        var same = 0;
        var asked = 0;
        for (var user = 1L; user <= 40; user++)
        {
            var scan = _scan.Recommend(Ask(user, null, false)).Select(r => r.Item).ToHashSet();
            var staged = _staged.Recommend(Ask(user, null, false)).Select(r => r.Item);
            same += staged.Count(scan.Contains);
            asked += scan.Count;
        }

        Assert.True(same >= asked * 0.8, $"{same} of {asked} tracks agree");
    }

    private RecommendationRequest Ask(long user, string? mood, bool similar) => new()
    {
        UserId = user,
        Count = 5,
        Mood = mood is null ? null : _scan.Moods.Resolve(mood).Target,
        Seed = similar ? new SeedMatch(_catalog[(int)(user * 37)].Title, [(int)(user * 37)], false) : null,
    };
}
