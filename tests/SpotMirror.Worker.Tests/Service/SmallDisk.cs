using System.Diagnostics;

namespace SpotMirror.Worker.Tests.Service;

/// <summary>
/// A real, size-limited file system: a tmpfs of a few MB mounted on a fresh folder, so a disk really runs
/// full under the real process (no SQLite page limit standing in for it). Mounting needs root, which CI
/// has; elsewhere the tests that use it are skipped with that reason.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private SmallDisk(string path) => Path = path;

    public string Path { get; }

    public static SmallDisk Mount(int megabytes)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "spotmirror-tests", "disk-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m,mode=0777", "tmpfs", path);
        return new SmallDisk(path);
    }

    /// <summary>Writes a filler file until the disk refuses another byte.</summary>
    public void Fill()
    {
        var chunk = new byte[4096];
        using var filler = new FileStream(System.IO.Path.Combine(Path, "filler"), FileMode.Create, FileAccess.Write, FileShare.None, 1);
        try
        {
            while (true) filler.Write(chunk);
        }
        catch (IOException)
        {
            // ENOSPC: full.
        }
    }

    /// <summary>Gives the space back, as an operator freeing the disk would.</summary>
    public void Free() => File.Delete(System.IO.Path.Combine(Path, "filler"));

    public void Dispose()
    {
        // Lazy: the process under test may still hold a file open for a moment after it was killed.
        Run("umount", "-l", Path);
        Directory.Delete(Path);
    }

    private static void Run(string command, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardError = true, UseShellExecute = false })
            ?? throw new InvalidOperationException($"could not start {command}");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{command} {string.Join(' ', args)} failed: {error}");
    }
}

/// <summary>A fact that needs root (to mount a tmpfs); skipped, with that reason, for anyone else.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!Environment.IsPrivilegedProcess) Skip = "Needs root to mount a size-limited tmpfs (CI runs the tests as root).";
    }
}
