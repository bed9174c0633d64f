using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SpotMirror.Core.Evaluation;
using SpotMirror.Core.Ranking;
using SpotMirror.Evaluation;

namespace SpotMirror.Worker.Cli;

/// <summary>`eval`: every engine measured on HetRec with the fixed protocol; `eval mood`: the mood engine against Deezer.</summary>
public static class EvalVerb
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public static Command Build(CliConsole console)
    {
        var dataset = new Option<string>("--dataset") { Description = "The data set (hetrec).", DefaultValueFactory = _ => "hetrec" };
        var path = new Option<DirectoryInfo>("--path") { Description = "The HetRec folder (default ../shared/data/hetrec2011-lastfm-2k).", DefaultValueFactory = _ => new DirectoryInfo(DefaultHetrec) };
        var seed = new Option<int>("--seed") { Description = "Seed of the 20% hold-out split.", DefaultValueFactory = _ => 42 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object keyed by engine instead of a table." };
        var tune = new Option<bool>("--tune") { Description = "First choose the hybrid's weights and λ on a validation split carved from the training data, then measure with them." };
        var tuneSeeds = new Option<int[]>("--tune-seeds") { Description = "With --tune: the seeds whose validation splits are averaged (default: --seed).", AllowMultipleArgumentsPerToken = true };
        var eval = new Command("eval", "Measure every engine on real listening data (P@10, R@10, R@20, NDCG@10, coverage).") { dataset, path, seed, json, tune, tuneSeeds };
        eval.SetAction((result, ct) => RunAsync(console, result.GetValue(dataset)!, result.GetValue(path)!, result.GetValue(seed), result.GetValue(json),
            result.GetValue(tune) ? result.GetValue(tuneSeeds) is { Length: > 0 } seeds ? seeds : [result.GetValue(seed)] : null, ct));
        eval.Subcommands.Add(MoodCommand(console));
        eval.Subcommands.Add(GroupCommand(console));
        return eval;
    }

    private static Command GroupCommand(CliConsole console)
    {
        var path = new Option<DirectoryInfo>("--path") { Description = "The HetRec folder.", DefaultValueFactory = _ => new DirectoryInfo(DefaultHetrec) };
        var seed = new Option<int>("--seed") { Description = "Seed of the split and of the groups drawn.", DefaultValueFactory = _ => 42 };
        var groups = new Option<int>("--groups") { Description = "Groups drawn per kind and size.", DefaultValueFactory = _ => 200 };
        var json = new Option<bool>("--json") { Description = "Print one JSON array instead of a table." };
        var command = new Command("group", "Measure the group strategies: mean and worst member NDCG@10, and the share of members with no hit.") { path, seed, groups, json };
        command.SetAction(result => RunGroups(console, result.GetValue(path)!, result.GetValue(seed), Math.Max(1, result.GetValue(groups)), result.GetValue(json)));
        return command;
    }

    private static int RunGroups(CliConsole console, DirectoryInfo folder, int seed, int groups, bool json)
    {
        if (!folder.Exists)
        {
            console.Error.WriteLine($"No HetRec folder at {folder.FullName}; pass --path DIR.");
            return 2;
        }
        ProgressBar.Status(console, "loading HetRec and fitting the learned model ...");
        var data = HetrecDataset.Load(folder.FullName);
        var split = Holdout.Make(HetrecCatalog.ItemsByUser(data), seed);
        using var evaluator = new OfflineEvaluator(HetrecCatalog.Build(data, split), new HybridOptions());
        IReadOnlyList<GroupFigures> figures;
        using (var bar = ProgressBar.ForTerminal(console, "groups", groups * GroupEvaluation.Sizes.Length * 2))
        {
            figures = GroupEvaluation.Run(evaluator.Recommender, split, seed, groups, bar);
        }
        if (json)
        {
            console.Out.WriteLine(JsonSerializer.Serialize(figures.Select(f => new
            {
                kind = f.Kind, size = f.Size, strategy = f.Strategy.ToString(), mean_ndcg_at_10 = f.MeanNdcg, worst_ndcg_at_10 = f.WorstNdcg, no_hit_share = f.NoHitShare, all_served_share = f.AllServedShare, groups = f.Groups,
            })));
            return 0;
        }
        console.Out.WriteLine(Invariant($"hetrec2011-lastfm-2k, seed {seed}: {groups} groups per kind and size, lists of {GroupEvaluation.ListLength}"));
        console.Out.WriteLine(Invariant($"{"kind",-8} {"size",4} {"strategy",-22} {"mean NDCG@10",13} {"worst NDCG@10",14} {"no hit",7} {"all served",11}"));
        foreach (var f in figures)
        {
            console.Out.WriteLine(Invariant($"{f.Kind,-8} {f.Size,4} {f.Strategy,-22} {f.MeanNdcg,13:F4} {f.WorstNdcg,14:F5} {f.NoHitShare,7:F3} {f.AllServedShare,11:F3}"));
        }
        return 0;
    }

    private static string DefaultHetrec => Path.Combine("..", "shared", "data", "hetrec2011-lastfm-2k");

    private static async Task<int> RunAsync(CliConsole console, string dataset, DirectoryInfo folder, int seed, bool json, int[]? tuneSeeds, CancellationToken cancellationToken)
    {
        if (!dataset.Equals("hetrec", StringComparison.OrdinalIgnoreCase))
        {
            await console.Error.WriteLineAsync($"Unknown data set \"{dataset}\"; this build evaluates on hetrec.").ConfigureAwait(false);
            return 2;
        }
        if (!folder.Exists)
        {
            await console.Error.WriteLineAsync($"No HetRec folder at {folder.FullName}; pass --path DIR.").ConfigureAwait(false);
            return 2;
        }
        ProgressBar.Status(console, "loading HetRec ...");
        var data = HetrecDataset.Load(folder.FullName);
        var split = Holdout.Make(HetrecCatalog.ItemsByUser(data), seed);
        if (split.Test.Count == 0)
        {
            await console.Error.WriteLineAsync($"No user in {folder.FullName} has at least {Holdout.MinItems} artists, so there is nothing to evaluate.").ConfigureAwait(false);
            return 2;
        }
        var options = new HybridOptions();
        if (tuneSeeds is not null)
        {
            ProgressBar.Status(console, "tuning on validation splits carved from training ...");
            options = HybridTuner.Tune(data, tuneSeeds, options, line => console.Error.WriteLine("\r" + line));
            await console.Error.WriteLineAsync("chosen on validation: " + HybridTuner.Describe(options)).ConfigureAwait(false);
        }
        var catalog = HetrecCatalog.Build(data, split);
        ProgressBar.Status(console, "fitting the learned model (iALS) on the training split ...");
        using var evaluator = new OfflineEvaluator(catalog, options);
        var figures = new List<EngineFigures>();
        foreach (var (name, rank) in evaluator.Engines())
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var bar = ProgressBar.ForTerminal(console, name, split.Test.Count);
            figures.Add(evaluator.Measure(name, rank, bar));
        }

        if (json)
        {
            var byEngine = figures.ToDictionary(f => f.Engine, f => new
            {
                p_at_10 = f.P10, r_at_10 = f.R10, r_at_20 = f.R20, ndcg_at_10 = f.Ndcg10, coverage = f.Coverage, seconds = f.Seconds, users = f.Users,
            });
            var m = evaluator.Learned;
            var learned = new { items = m.ItemCount, factors = m.Factors, alpha0 = m.Settings.Alpha0, lambda = m.Settings.Lambda, epochs = m.Settings.Epochs, fit_seconds = m.FitTime.TotalSeconds, factor_bytes = m.FactorBytes };
            console.Out.WriteLine(JsonSerializer.Serialize(new { dataset = "hetrec", seed, options = HybridTuner.Describe(options), learned, engines = byEngine }, Json));
            return 0;
        }
        console.Out.WriteLine(Invariant($"hetrec2011-lastfm-2k, seed {seed}: {split.Test.Count} users evaluated, {catalog.Index.Count} items, full ranking"));
        console.Out.WriteLine("hybrid blend: " + HybridTuner.Describe(options));
        var model = evaluator.Learned;
        console.Out.WriteLine(Invariant($"learned (iALS): {model.ItemCount} items with a training listener, k {model.Factors}, fitted in {model.FitTime.TotalSeconds:F1}s, factors {model.FactorBytes / 1048576.0:F1} MiB"));
        console.Out.WriteLine(Invariant($"{"engine",-12} {"P@10",7} {"R@10",7} {"R@20",7} {"NDCG@10",8} {"coverage",9} {"time",8}"));
        foreach (var f in figures)
        {
            console.Out.WriteLine(Invariant($"{f.Engine,-12} {f.P10,7:F4} {f.R10,7:F4} {f.R20,7:F4} {f.Ndcg10,8:F4} {f.Coverage,9:F4} {f.Seconds,7:F1}s"));
        }
        return 0;
    }

    private static Command MoodCommand(CliConsole console)
    {
        var hetrec = new Option<DirectoryInfo>("--hetrec") { Description = "The HetRec folder.", DefaultValueFactory = _ => new DirectoryInfo(DefaultHetrec) };
        var deezer = new Option<DirectoryInfo>("--deezer") { Description = "The Deezer mood folder (train.csv, validation.csv).", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("..", "shared", "data", "deezer-mood-detection")) };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        var verbose = new Option<bool>("--verbose") { Description = "Print every tuning candidate's inner-split r on standard error." };
        var mood = new Command("mood", "Correlate the mood engine's valence and arousal per artist with Deezer's.") { hetrec, deezer, json, verbose };
        mood.SetAction(result => MoodCheckVerb.Run(console, result.GetValue(hetrec)!, result.GetValue(deezer)!, result.GetValue(json), result.GetValue(verbose)));
        return mood;
    }

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
