namespace SpotMirror.Core.Mood;

/// <summary>
/// A named region of the valence/arousal plane. Signature tags are the words listeners use for
/// this mood directly; a track that carries one fits better than its plane position alone says.
/// </summary>
public sealed record NamedMood(
    string Name,
    MoodPoint Center,
    float Radius,
    IReadOnlyList<string> Synonyms,
    IReadOnlyList<string> Emoji,
    IReadOnlyList<string> SignatureTags)
{
    public static IReadOnlyList<NamedMood> Defaults { get; } =
    [
        new("happy", new(0.75f, 0.45f), 0.45f,
            ["joyful", "cheerful", "upbeat", "sunny", "glad", "good vibes", "feel good", "bright"],
            ["😊", "😀", "😄", "😁", "🙂", "☀️", "🌞"],
            ["happy", "upbeat", "feel good", "cheerful", "uplifting", "fun", "sunny", "summer"]),
        new("sad", new(-0.75f, -0.35f), 0.45f,
            ["down", "blue", "heartbroken", "crying", "depressed", "tearful", "unhappy", "heartbreak"],
            ["😢", "😭", "💔", "😞", "😔"],
            ["sad", "heartbreak", "depressing", "tearjerker", "lonely"]),
        new("chill", new(0.4f, -0.6f), 0.45f,
            ["relax", "relaxed", "relaxing", "calm", "mellow", "chilled", "chillout", "laid back", "lazy", "peaceful"],
            ["😌", "🛋️", "🌴", "🧘", "☕"],
            ["chill", "chillout", "relaxing", "mellow", "calm", "laid back", "peaceful", "smooth"]),
        new("energetic", new(0.45f, 0.85f), 0.45f,
            ["energy", "pumped", "hype", "workout", "gym", "running", "power", "upbeat energy"],
            ["⚡", "💪", "🏃", "🔋", "🚀"],
            ["energetic", "high energy", "workout", "powerful", "driving", "fast"]),
        new("angry", new(-0.65f, 0.8f), 0.45f,
            ["mad", "rage", "furious", "aggressive", "pissed", "anger", "fury"],
            ["😡", "😠", "🤬", "💢"],
            ["aggressive", "angry", "heavy", "intense", "rage"]),
        new("romantic", new(0.6f, -0.1f), 0.45f,
            ["love", "romance", "date", "sensual", "sexy", "in love", "date night", "valentine"],
            ["❤️", "😍", "🥰", "💕", "🌹", "💘"],
            ["romantic", "love", "love songs", "sensual", "sexy", "tender"]),
        new("melancholic", new(-0.4f, -0.5f), 0.45f,
            ["melancholy", "nostalgic", "wistful", "bittersweet", "rainy", "moody", "pensive", "gloomy"],
            ["🌧️", "🥀", "🍂", "☔", "🌫️"],
            ["melancholic", "melancholy", "bittersweet", "nostalgic", "rainy day", "wistful", "dark"]),
        new("party", new(0.75f, 0.85f), 0.45f,
            ["dance", "dancing", "club", "celebrate", "fiesta", "groove", "clubbing", "banger"],
            ["🎉", "🥳", "🪩", "💃", "🕺", "🍾"],
            ["party", "dance", "groovy", "club", "catchy", "anthem", "disco", "house"]),
        new("focus", new(0.1f, -0.35f), 0.4f,
            ["study", "concentrate", "concentration", "work", "coding", "reading", "deep work", "studying"],
            ["🧠", "📚", "🎯", "💻", "✍️"],
            ["instrumental", "study", "focus", "ambient", "minimal", "atmospheric", "concentration", "classical", "post-rock"]),
    ];
}
