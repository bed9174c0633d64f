using System.Globalization;
using System.Text.Json;
using SpotMirror.Core.Mood;
using SpotMirror.Worker.Evaluation;

namespace SpotMirror.Worker.Cli;

/// <summary>`eval mood`: Pearson r of the mood engine against Deezer, per lexicon and split.</summary>
public static class MoodCheckVerb
{
    public static int Run(DirectoryInfo hetrecFolder, DirectoryInfo deezerFolder, bool json, FileInfo? writeLexicon = null)
    {
        foreach (var folder in new[] { hetrecFolder, deezerFolder })
        {
            if (!folder.Exists)
            {
                Console.Error.WriteLine($"No data folder at {folder.FullName}.");
                return 2;
            }
        }
        var hetrec = HetrecDataset.Load(hetrecFolder.FullName);
        var train = MoodCheck.ArtistMeans(DeezerDataset.Load(Path.Combine(deezerFolder.FullName, "train.csv")));
        var validation = MoodCheck.ArtistMeans(DeezerDataset.Load(Path.Combine(deezerFolder.FullName, "validation.csv")));

        var tuning = LexiconTuner.Search(hetrec, train, MoodLexicon.Hand);
        var tags = MoodCheck.ArtistTags(hetrec, tuning.Weight);
        var fitted = LexiconTuner.Fit(tags, train, MoodLexicon.Hand, tuning);
        var refit = MoodLexicon.Hand.With(fitted).WithPriorMass(tuning.PriorMass);
        var rows = new List<MoodCorrelation>();
        foreach (var (name, lexicon) in new[] { ("hand", MoodLexicon.Hand), ("refit on train", refit), ("shipped", MoodLexicon.Default) })
        {
            rows.Add(MoodCheck.Correlate(name, "train", lexicon, tags, train));
            rows.Add(MoodCheck.Correlate(name, "validation", lexicon, tags, validation));
        }
        if (writeLexicon is not null)
        {
            File.WriteAllLines(writeLexicon.FullName, ["tag\tvalence\tarousal\tstrength",
                .. fitted.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Tag}\t{f.Entry.Point.Valence:F3}\t{f.Entry.Point.Arousal:F3}\t{f.Entry.Strength:F3}"))]);
        }

        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(rows.Select(r => new
            {
                lexicon = r.Lexicon, split = r.Split, artists = r.Artists, valence_r = r.ValenceR, arousal_r = r.ArousalR,
            })));
            return 0;
        }
        Console.WriteLine("Mood engine vs Deezer, per artist (Pearson r); the lexicon is tuned on train only.");
        Console.WriteLine(EvalVerb.Invariant($"tuning chosen on an inner split of train: tag weight {tuning.Weight}, lambda {tuning.Lambda}, new words need {(tuning.MinArtists == int.MaxValue ? "(none added)" : tuning.MinArtists + " artists")}; prior mass {tuning.PriorMass}; {fitted.Count} words fitted"));
        Console.WriteLine(EvalVerb.Invariant($"{"lexicon",-16} {"split",-11} {"artists",8} {"valence r",10} {"arousal r",10}"));
        foreach (var r in rows)
        {
            Console.WriteLine(EvalVerb.Invariant($"{r.Lexicon,-16} {r.Split,-11} {r.Artists,8} {r.ValenceR,10:F3} {r.ArousalR,10:F3}"));
        }
        if (writeLexicon is not null) Console.WriteLine($"Wrote {fitted.Count} tuned tags to {writeLexicon.FullName}.");
        return 0;
    }
}
