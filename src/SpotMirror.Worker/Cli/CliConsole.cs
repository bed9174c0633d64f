namespace SpotMirror.Worker.Cli;

/// <summary>
/// Where the verbs read and write. The process passes its own console; a test passes writers and a reader
/// of its own (and configuration of its own, in place of environment variables), so a verb runs in the
/// test's process. Only what a process alone shows (exit on a signal, a real pipe) needs the binary.
/// </summary>
/// <param name="OwnsProcess">True for the real console: the verbs then stop on SIGINT and SIGTERM.</param>
/// <param name="Settings">Configuration laid over appsettings.json and the environment (key "Section:Name").</param>
public sealed record CliConsole(
    TextReader In,
    TextWriter Out,
    TextWriter Error,
    bool InRedirected,
    bool OutRedirected,
    bool ErrorRedirected,
    bool OwnsProcess,
    IReadOnlyDictionary<string, string?>? Settings = null)
{
    /// <summary>The process's console.</summary>
    public static CliConsole Process() =>
        new(Console.In, Console.Out, Console.Error, Console.IsInputRedirected, Console.IsOutputRedirected, Console.IsErrorRedirected, OwnsProcess: true);

    /// <summary>Streams of the caller's own, taken as redirected (no terminal, so no progress bar and no prompt).</summary>
    public static CliConsole Redirected(TextReader input, TextWriter output, TextWriter error, IReadOnlyDictionary<string, string?>? settings = null) =>
        new(input, output, error, true, true, true, OwnsProcess: false, settings);

    /// <summary>Both the chat's input and its output are a terminal: a person is typing.</summary>
    public bool Interactive => !InRedirected && !OutRedirected;

    /// <summary>Progress may be drawn: both outputs are a terminal, so no bar lands in a file.</summary>
    public bool ShowsProgress => !OutRedirected && !ErrorRedirected;
}
