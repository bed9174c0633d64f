namespace SpotMirror.Worker.Cli;

/// <summary>A one-line progress bar on standard error, drawn only when both outputs are a terminal.</summary>
public sealed class ProgressBar : IProgress<int>, IDisposable
{
    private readonly string _label;
    private readonly int _total;
    private readonly Lock _gate = new();
    private int _drawn = -1;

    private ProgressBar(string label, int total)
    {
        _label = label;
        _total = Math.Max(1, total);
    }

    /// <summary>A bar, or nothing at all (null) when output is redirected.</summary>
    public static ProgressBar? ForTerminal(string label, int total) =>
        Console.IsOutputRedirected || Console.IsErrorRedirected ? null : new ProgressBar(label, total);

    /// <summary>A one-line status ("fitting ...") on standard error, on a terminal only; the next bar or status overwrites it.</summary>
    public static void Status(string text)
    {
        if (Console.IsOutputRedirected || Console.IsErrorRedirected) return;
        Console.Error.Write("\r" + text.PadRight(60));
    }

    public void Report(int value)
    {
        var percent = Math.Clamp(value * 100 / _total, 0, 100);
        lock (_gate)
        {
            if (percent == _drawn) return;
            _drawn = percent;
            var filled = percent * 30 / 100;
            Console.Error.Write($"\r{_label,-12} [{new string('#', filled)}{new string('.', 30 - filled)}] {percent,3}%");
        }
    }

    public void Dispose() => Console.Error.Write("\r" + new string(' ', 60) + "\r");
}
