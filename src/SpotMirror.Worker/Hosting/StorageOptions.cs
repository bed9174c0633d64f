namespace SpotMirror.Worker.Hosting;

/// <summary>Where the SQLite file lives (Storage:Path; Storage__Path in the environment; --db on any verb).</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public string Path { get; set; } = DefaultPath;

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
