namespace SpotMirror.Core.Mood;

/// <summary>A point on Russell's circumplex: valence (unpleasant to pleasant) and arousal (calm to excited), each in [-1, 1].</summary>
public readonly record struct MoodPoint(float Valence, float Arousal)
{
    public float DistanceTo(MoodPoint other)
    {
        var dv = Valence - other.Valence;
        var da = Arousal - other.Arousal;
        return MathF.Sqrt((dv * dv) + (da * da));
    }
}

/// <summary>A lexicon entry: where a word sits, and how much it says about mood (genre words say less than mood words).</summary>
public readonly record struct LexiconEntry(MoodPoint Point, float Strength);
