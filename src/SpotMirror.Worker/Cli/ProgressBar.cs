namespace SpotMirror.Worker.Cli;

/// <summary>A one-line progress bar on standard error, drawn only when both outputs are a terminal.</summary>
public sealed class ProgressBar : IProgress<int>, IDisposable
{
    private readonly TextWriter _error;
    private readonly string _label;
    private readonly int _total;
    private readonly Lock _gate = new();
    private int _drawn = -1;

    private ProgressBar(TextWriter error, string label, int total)
    {
        _error = error;
        _label = label;
        _total = Math.Max(1, total);
    }

    /// <summary>A bar, or nothing at all (null) when output is redirected.</summary>
    public static ProgressBar? ForTerminal(CliConsole console, string label, int total) =>
        console.ShowsProgress ? new ProgressBar(console.Error, label, total) : null;

    /// <summary>A one-line status ("fitting ...") on standard error, on a terminal only; the next bar or status overwrites it.</summary>
    public static void Status(CliConsole console, string text)
    {
        if (!console.ShowsProgress) return;
        console.Error.Write("\r" + text.PadRight(60));
    }

    public void Report(int value)
    {
        var percent = Math.Clamp(value * 100 / _total, 0, 100);
        lock (_gate)
        {
            if (percent == _drawn) return;
            _drawn = percent;
            var filled = percent * 30 / 100;
            _error.Write($"\r{_label,-12} [{new string('#', filled)}{new string('.', 30 - filled)}] {percent,3}%");
        }
    }

    public void Dispose() => _error.Write("\r" + new string(' ', 60) + "\r");
}
