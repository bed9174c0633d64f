namespace SpotMirror.Runtime;

/// <summary>
/// Which database: Storage:Provider is sqlite (the default: the file at Storage:Path, Storage__Path in the
/// environment, --db on any verb) or postgres (the server Storage:ConnectionString names, Storage__ConnectionString
/// in the environment). The words are only passed on: Storage alone knows what they mean.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public string Provider { get; set; } = "sqlite";

    /// <summary>The SQLite file; on PostgreSQL, only where this worker keeps its local files (the learned model's factors).</summary>
    public string Path { get; set; } = DefaultPath;

    public string? ConnectionString { get; set; }

    /// <summary>Units of work from concurrent callers share one commit (the default); false only to measure without it.</summary>
    public bool GroupCommit { get; set; } = true;

    /// <summary>
    /// Start from a snapshot of the loaded catalogue and preferences kept beside the SQLite file (the default), written
    /// after each full load and every few minutes; false turns it off (every start loads from the tables, no file is written).
    /// </summary>
    public bool Snapshot { get; set; } = true;

    /// <summary>The path with a leading "~/" taken as the home folder, made absolute.</summary>
    public static string Resolve(string path)
    {
        var trimmed = path.Trim();
        if (trimmed == "~" || trimmed.StartsWith("~/", StringComparison.Ordinal))
        {
            trimmed = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), trimmed.TrimStart('~').TrimStart('/'));
        }
        return System.IO.Path.GetFullPath(trimmed);
    }

    /// <summary>~/.local/share/SpotMirror/spotmirror.db on Linux, %LOCALAPPDATA%\SpotMirror\spotmirror.db on Windows.</summary>
    public static string DefaultPath { get; } = System.IO.Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
        "SpotMirror", "spotmirror.db");
}
