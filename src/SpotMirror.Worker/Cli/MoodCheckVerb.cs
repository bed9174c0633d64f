using System.Text.Json;
using SpotMirror.Core.Mood;
using SpotMirror.Worker.Evaluation;

namespace SpotMirror.Worker.Cli;

/// <summary>`eval mood`: Pearson r of the mood engine against Deezer, per lexicon and split.</summary>
public static class MoodCheckVerb
{
    public static int Run(DirectoryInfo hetrecFolder, DirectoryInfo deezerFolder, bool json, bool verbose)
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
        var train = MoodCheck.ArtistMeans(MoodReferenceData.Load(Path.Combine(deezerFolder.FullName, "train.csv")));
        var validation = MoodCheck.ArtistMeans(MoodReferenceData.Load(Path.Combine(deezerFolder.FullName, "validation.csv")));

        var tuning = LexiconTuner.Search(hetrec, train, MoodLexicon.Hand, verbose ? line => Console.Error.WriteLine(line) : null);
        var tags = MoodCheck.ArtistTags(hetrec, tuning.Idf);
        var plainTags = MoodCheck.ArtistTags(hetrec);
        var refit = LexiconTuner.Fit(tags, train, MoodLexicon.Hand, tuning);
        var rows = new List<MoodCorrelation>();
        rows.Add(MoodCheck.Correlate("hand (shipped)", "train", MoodLexicon.Default, plainTags, train));
        rows.Add(MoodCheck.Correlate("hand (shipped)", "validation", MoodLexicon.Default, plainTags, validation));
        rows.Add(MoodCheck.Correlate("refit on train", "train", refit, tags, train));
        rows.Add(MoodCheck.Correlate("refit on train", "validation", refit, tags, validation));

        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(rows.Select(r => new
            {
                lexicon = r.Lexicon, split = r.Split, artists = r.Artists, valence_r = r.ValenceR, arousal_r = r.ArousalR,
            })));
            return 0;
        }
        Console.WriteLine("Mood engine vs Deezer, per artist (Pearson r); the lexicon is tuned on train only.");
        Console.WriteLine(EvalVerb.Invariant($"tuning chosen on an inner split of train: lambda {tuning.Lambda}, new words need {(tuning.MinArtists == int.MaxValue ? "(none added)" : tuning.MinArtists + " artists")}; prior mass {tuning.PriorMass}, fitted per {(tuning.Words ? "word" : "whole tag")}, tag counts {(tuning.Idf ? "times idf" : "as they are")}; {refit.Count} entries"));
        Console.WriteLine(EvalVerb.Invariant($"{"lexicon",-16} {"split",-11} {"artists",8} {"valence r",10} {"arousal r",10}"));
        foreach (var r in rows)
        {
            Console.WriteLine(EvalVerb.Invariant($"{r.Lexicon,-16} {r.Split,-11} {r.Artists,8} {r.ValenceR,10:F3} {r.ArousalR,10:F3}"));
        }
        return 0;
    }
}
