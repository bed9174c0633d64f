namespace SpotMirror.Chat;

public abstract record Command;

public sealed record MoodCommand(string Query, int Count) : Command;

/// <summary>"/mood" alone: the named moods, offered as buttons.</summary>
public sealed record MoodPickerCommand : Command;

public sealed record SimilarCommand(string Query, int Count) : Command;

public sealed record RecommendCommand(int Count) : Command;

public sealed record PopularCommand(string? Tag, int Count) : Command;

public sealed record ProfileCommand : Command;

public sealed record ForgetCommand(bool Confirmed) : Command;

public sealed record HelpCommand : Command;

/// <summary>"/web": a one-time sign-in link to the web app, answered privately.</summary>
public sealed record WebCommand : Command;

/// <summary>"/group [mood] [count] [strategy:NAME]" opens a lobby; "/group go" makes the playlist from who joined.</summary>
public sealed record GroupCommand(string? Mood, int Count, string? Strategy, bool Go) : Command;

/// <summary>A command that could not be understood, with a sentence that says how to fix it.</summary>
public sealed record InvalidCommand(string Message) : Command;
