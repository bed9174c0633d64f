using SpotMirror.Core.Engines;
using SpotMirror.Core.Preferences;
using SpotMirror.Core.Ranking;

namespace SpotMirror.Core.Tests;

public sealed class EngineKindTests
{
    [Fact]
    public void Every_engine_is_described_once_at_its_own_position_with_a_distinct_name()
    {
        var kinds = Enum.GetValues<EngineKind>();
        Assert.Equal(kinds.Length, EngineKinds.All.Count);
        foreach (var kind in kinds) Assert.Equal(kind, kind.Describe().Kind);
        Assert.Equal(kinds.Length, EngineKinds.All.Select(e => e.Name).Distinct().Count());
    }

    [Fact]
    public void The_engine_set_answers_each_kind_with_the_engine_of_that_kind()
    {
        using var matrix = new PreferenceMatrix(new PreferenceLearner(new LearningOptions()), DateTimeOffset.UnixEpoch);
        var engines = new EngineSet(matrix, new HybridOptions());
        foreach (var kind in Enum.GetValues<EngineKind>()) Assert.Equal(kind, engines[kind].Kind);
    }

    [Fact]
    public void Each_weight_is_read_and_changed_through_its_engine_alone()
    {
        var options = new HybridOptions();
        foreach (var kind in Enum.GetValues<EngineKind>())
        {
            var changed = options.WithWeight(kind, 0.42f);
            Assert.Equal(0.42f, changed.WeightOf(kind));
            foreach (var other in Enum.GetValues<EngineKind>().Where(k => k != kind)) Assert.Equal(options.WeightOf(other), changed.WeightOf(other));
        }
    }
}
