using System.Text.Json;
using SpotMirror.Core.Mood;
using SpotMirror.Evaluation;

namespace SpotMirror.Worker.Cli;

/// <summary>`eval mood`: Pearson r of the mood engine against Deezer, per lexicon and split.</summary>
public static class MoodCheckVerb
{
    private static readonly double[] LearningShares = [0.25, 0.5, 0.75, 1.0];
    private static readonly int[] EvidenceBounds = [5, 20, 80];

    public static int Run(CliConsole console, DirectoryInfo hetrecFolder, DirectoryInfo deezerFolder, bool json, bool verbose)
    {
        foreach (var folder in new[] { hetrecFolder, deezerFolder })
        {
            if (!folder.Exists)
            {
                console.Error.WriteLine($"No data folder at {folder.FullName}.");
                return 2;
            }
        }
        var hetrec = HetrecDataset.Load(hetrecFolder.FullName);
        var trainTracks = MoodReferenceData.Load(Path.Combine(deezerFolder.FullName, "train.csv"));
        var train = MoodCheck.ArtistMeans(trainTracks);
        var validation = MoodCheck.ArtistMeans(MoodReferenceData.Load(Path.Combine(deezerFolder.FullName, "validation.csv")));

        var tuning = LexiconTuner.Search(hetrec, train, MoodLexicon.Hand, verbose ? line => console.Error.WriteLine(line) : null);
        var tags = MoodCheck.ArtistTags(hetrec, tuning.Idf);
        var plainTags = MoodCheck.ArtistTags(hetrec);
        var refit = LexiconTuner.Fit(tags, train, MoodLexicon.Hand, tuning);
        var rows = new List<MoodCorrelation>();
        rows.Add(MoodCheck.Correlate("hand (shipped)", "train", MoodLexicon.Default, plainTags, train));
        rows.Add(MoodCheck.Correlate("hand (shipped)", "validation", MoodLexicon.Default, plainTags, validation));
        rows.Add(MoodCheck.Correlate("refit on train", "train", refit, tags, train));
        rows.Add(MoodCheck.Correlate("refit on train", "validation", refit, tags, validation));

        // Diagnostics: how good a truth Deezer's artist means are, whether more train artists would help,
        // and where on validation the error sits. None of them feeds back into the tuning.
        var reliability = MoodDiagnostics.SplitHalf(trainTracks, plainTags.ContainsKey, seed: 1);
        var curve = MoodDiagnostics.LearningCurve(tags, train, MoodLexicon.Hand, tuning, LearningShares);
        var applications = plainTags.ToDictionary(kv => kv.Key, kv => (int)kv.Value.Sum(t => t.Weight), StringComparer.Ordinal);
        var buckets = MoodDiagnostics.ByEvidence(refit, tags, applications, validation, EvidenceBounds);

        if (json)
        {
            console.Out.WriteLine(JsonSerializer.Serialize(new
            {
                results = rows.Select(r => new { lexicon = r.Lexicon, split = r.Split, artists = r.Artists, valence_r = Number(r.ValenceR), arousal_r = Number(r.ArousalR) }),
                split_half_train = new { artists = reliability.Artists, valence_r = Number(reliability.ValenceR), arousal_r = Number(reliability.ArousalR) },
                learning_curve_train = curve.Select(c => new { share = c.Share, fit_artists = c.FitArtists, artists = c.Artists, valence_r = Number(c.ValenceR), arousal_r = Number(c.ArousalR) }),
                validation_by_tag_applications = buckets.Select(b => new { least = b.Least, most = b.Most == int.MaxValue ? (int?)null : b.Most, artists = b.Artists, valence_r = Number(b.ValenceR), arousal_r = Number(b.ArousalR) }),
            }));
            return 0;
        }
        console.Out.WriteLine("Mood engine vs Deezer, per artist (Pearson r); the lexicon is tuned on train only.");
        console.Out.WriteLine(EvalVerb.Invariant($"tuning chosen on an inner split of train: lambda {tuning.Lambda}, new words need {(tuning.MinArtists == int.MaxValue ? "(none added)" : tuning.MinArtists + " artists")}; prior mass {tuning.PriorMass}, fitted per {(tuning.Words ? "word" : "whole tag")}, tag counts {(tuning.Idf ? "times idf" : "as they are")}; {refit.Count} entries"));
        console.Out.WriteLine(EvalVerb.Invariant($"{"lexicon",-16} {"split",-11} {"artists",8} {"valence r",10} {"arousal r",10}"));
        foreach (var r in rows)
        {
            console.Out.WriteLine(EvalVerb.Invariant($"{r.Lexicon,-16} {r.Split,-11} {r.Artists,8} {r.ValenceR,10:F3} {r.ArousalR,10:F3}"));
        }
        console.Out.WriteLine();
        console.Out.WriteLine(EvalVerb.Invariant($"Deezer truth, split-half r of an artist's own tracks (train, {reliability.Artists} artists with 2+ tracks): valence {reliability.ValenceR:F3}, arousal {reliability.ArousalR:F3}"));
        console.Out.WriteLine("Learning curve, refit lexicon, 5-fold cross-validation inside train (more artists to fit on, same tuning):");
        console.Out.WriteLine(EvalVerb.Invariant($"{"share",8} {"fit on",8} {"artists",8} {"valence r",10} {"arousal r",10}"));
        foreach (var c in curve)
        {
            console.Out.WriteLine(EvalVerb.Invariant($"{c.Share,8:P0} {c.FitArtists,8} {c.Artists,8} {c.ValenceR,10:F3} {c.ArousalR,10:F3}"));
        }
        console.Out.WriteLine("Refit lexicon on validation, by how many tag applications HetRec has on the artist:");
        console.Out.WriteLine(EvalVerb.Invariant($"{"tag applications",16} {"artists",8} {"valence r",10} {"arousal r",10}"));
        foreach (var b in buckets)
        {
            var label = b.Most == int.MaxValue ? EvalVerb.Invariant($"{b.Least}+") : EvalVerb.Invariant($"{b.Least}-{b.Most}");
            console.Out.WriteLine(EvalVerb.Invariant($"{label,16} {b.Artists,8} {b.ValenceR,10:F3} {b.ArousalR,10:F3}"));
        }
        return 0;
    }

    /// <summary>r is undefined (NaN) with fewer than two artists or no spread; JSON has no NaN, so it says null.</summary>
    private static double? Number(double value) => double.IsFinite(value) ? value : null;
}
