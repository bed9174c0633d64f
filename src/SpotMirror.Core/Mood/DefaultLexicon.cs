namespace SpotMirror.Core.Mood;

/// <summary>
/// The hand-made starting lexicon. Valence and arousal follow the usual reading of each word
/// (Russell's circumplex; Warriner et al.'s norms for the common words). Strength 1 marks a mood
/// word, 0.4 to 0.6 a genre or scene word whose mood is only a tendency.
/// </summary>
internal static class DefaultLexicon
{
    private const float Mood = 1f;
    private const float Scene = 0.6f;
    private const float Genre = 0.4f;

    private static readonly (string Word, float Valence, float Arousal, float Strength)[] Table =
    [
        // happy and bright
        ("happy", 0.8f, 0.45f, Mood), ("upbeat", 0.7f, 0.6f, Mood), ("feel good", 0.8f, 0.4f, Mood),
        ("cheerful", 0.8f, 0.45f, Mood), ("uplifting", 0.75f, 0.45f, Mood), ("fun", 0.75f, 0.55f, Mood),
        ("sunny", 0.75f, 0.3f, Mood), ("summer", 0.65f, 0.35f, Scene), ("joyful", 0.85f, 0.5f, Mood),
        ("joy", 0.85f, 0.5f, Mood), ("positive", 0.7f, 0.3f, Mood), ("optimistic", 0.7f, 0.3f, Mood),
        ("catchy", 0.55f, 0.45f, Scene), ("sweet", 0.6f, 0.0f, Scene), ("good", 0.6f, 0.2f, Scene),
        ("bright", 0.65f, 0.35f, Scene), ("sunshine", 0.75f, 0.3f, Mood), ("morning", 0.4f, -0.1f, Scene),
        ("beach", 0.6f, 0.1f, Scene), ("vacation", 0.65f, 0.2f, Scene), ("smile", 0.8f, 0.3f, Mood),
        ("celebration", 0.8f, 0.7f, Mood), ("celebrate", 0.8f, 0.7f, Mood), ("playful", 0.7f, 0.45f, Mood),
        ("beautiful", 0.55f, -0.2f, Scene), ("hopeful", 0.6f, 0.1f, Mood), ("inspiring", 0.65f, 0.35f, Mood),
        // sad
        ("sad", -0.8f, -0.4f, Mood), ("heartbreak", -0.75f, -0.2f, Mood), ("heartbroken", -0.8f, -0.25f, Mood),
        ("depressing", -0.85f, -0.45f, Mood), ("depressed", -0.85f, -0.5f, Mood), ("tearjerker", -0.7f, -0.3f, Mood),
        ("lonely", -0.7f, -0.45f, Mood), ("loneliness", -0.7f, -0.45f, Mood), ("crying", -0.75f, -0.1f, Mood),
        ("grief", -0.8f, -0.3f, Mood), ("sorrow", -0.8f, -0.4f, Mood), ("breakup", -0.7f, -0.1f, Mood),
        ("down", -0.55f, -0.4f, Scene), ("blue", -0.45f, -0.35f, Scene), ("tears", -0.7f, -0.2f, Mood),
        ("emotional", -0.2f, 0.1f, Scene), ("haunting", -0.35f, -0.2f, Mood), ("pain", -0.7f, 0.1f, Mood),
        // melancholic
        ("melancholic", -0.5f, -0.5f, Mood), ("melancholy", -0.5f, -0.5f, Mood), ("bittersweet", -0.2f, -0.35f, Mood),
        ("nostalgic", -0.05f, -0.35f, Mood), ("nostalgia", -0.05f, -0.35f, Mood), ("rainy day", -0.35f, -0.5f, Mood),
        ("rainy", -0.35f, -0.5f, Mood), ("rain", -0.3f, -0.45f, Scene), ("wistful", -0.3f, -0.45f, Mood),
        ("dark", -0.5f, 0.1f, Mood), ("moody", -0.35f, -0.2f, Mood), ("pensive", -0.2f, -0.5f, Mood),
        ("autumn", -0.15f, -0.4f, Scene), ("winter", -0.2f, -0.4f, Scene), ("gloomy", -0.6f, -0.4f, Mood),
        ("somber", -0.6f, -0.45f, Mood), ("introspective", -0.15f, -0.45f, Mood), ("sunday", 0.2f, -0.55f, Scene),
        ("grey", -0.35f, -0.4f, Scene), ("cold", -0.3f, -0.2f, Scene), ("night", -0.05f, -0.2f, Scene),
        ("late night", 0.0f, -0.4f, Scene), ("lost", -0.45f, -0.2f, Scene), ("dramatic", -0.15f, 0.45f, Mood),
        // chill
        ("chill", 0.4f, -0.6f, Mood), ("chillout", 0.4f, -0.6f, Mood), ("chilled", 0.4f, -0.6f, Mood),
        ("relaxing", 0.45f, -0.7f, Mood), ("relax", 0.45f, -0.7f, Mood), ("relaxed", 0.45f, -0.65f, Mood),
        ("mellow", 0.3f, -0.6f, Mood), ("calm", 0.35f, -0.75f, Mood), ("laid back", 0.45f, -0.55f, Mood),
        ("peaceful", 0.5f, -0.75f, Mood), ("smooth", 0.45f, -0.4f, Mood), ("soothing", 0.45f, -0.7f, Mood),
        ("easy listening", 0.4f, -0.5f, Scene), ("lazy", 0.3f, -0.7f, Mood), ("soft", 0.3f, -0.55f, Scene),
        ("gentle", 0.4f, -0.6f, Mood), ("dreamy", 0.3f, -0.5f, Mood), ("serene", 0.5f, -0.75f, Mood),
        ("sleep", 0.2f, -0.85f, Mood), ("coffee", 0.35f, -0.35f, Scene), ("lounge", 0.35f, -0.5f, Scene),
        ("downtempo", 0.2f, -0.55f, Genre), ("acoustic", 0.2f, -0.4f, Scene), ("warm", 0.5f, -0.3f, Scene),
        // energetic
        ("energetic", 0.45f, 0.85f, Mood), ("high energy", 0.45f, 0.9f, Mood), ("energy", 0.4f, 0.8f, Mood),
        ("workout", 0.35f, 0.85f, Mood), ("gym", 0.3f, 0.85f, Mood), ("running", 0.35f, 0.8f, Mood),
        ("powerful", 0.2f, 0.75f, Mood), ("driving", 0.25f, 0.7f, Mood), ("fast", 0.2f, 0.8f, Mood),
        ("pumped", 0.45f, 0.85f, Mood), ("hype", 0.45f, 0.85f, Mood), ("exciting", 0.55f, 0.75f, Mood),
        ("epic", 0.25f, 0.7f, Mood), ("anthemic", 0.5f, 0.65f, Mood), ("loud", 0.0f, 0.8f, Scene),
        ("road trip", 0.55f, 0.45f, Scene), ("drive", 0.35f, 0.5f, Scene), ("power", 0.2f, 0.75f, Scene),
        ("adrenaline", 0.3f, 0.9f, Mood), ("motivation", 0.5f, 0.7f, Mood), ("motivational", 0.5f, 0.7f, Mood),
        // angry
        ("aggressive", -0.55f, 0.85f, Mood), ("angry", -0.7f, 0.8f, Mood), ("anger", -0.7f, 0.8f, Mood),
        ("heavy", -0.3f, 0.75f, Mood), ("intense", -0.2f, 0.8f, Mood), ("rage", -0.75f, 0.9f, Mood),
        ("furious", -0.75f, 0.9f, Mood), ("mad", -0.65f, 0.75f, Mood), ("brutal", -0.55f, 0.9f, Mood),
        ("hate", -0.8f, 0.7f, Mood), ("rebellious", -0.2f, 0.75f, Mood), ("protest", -0.3f, 0.6f, Scene),
        ("menacing", -0.6f, 0.6f, Mood), ("violent", -0.75f, 0.85f, Mood), ("chaotic", -0.4f, 0.85f, Mood),
        // romantic
        ("romantic", 0.65f, -0.1f, Mood), ("love", 0.7f, 0.05f, Mood), ("love songs", 0.65f, -0.15f, Mood),
        ("love song", 0.65f, -0.15f, Mood), ("sensual", 0.55f, 0.05f, Mood), ("sexy", 0.55f, 0.2f, Mood),
        ("tender", 0.55f, -0.4f, Mood), ("romance", 0.65f, -0.1f, Mood), ("date", 0.6f, 0.0f, Scene),
        ("wedding", 0.75f, 0.2f, Scene), ("slow jam", 0.5f, -0.3f, Mood), ("intimate", 0.45f, -0.35f, Mood),
        ("passionate", 0.35f, 0.5f, Mood), ("seductive", 0.45f, 0.1f, Mood), ("valentine", 0.7f, 0.0f, Mood),
        // party
        ("party", 0.75f, 0.85f, Mood), ("dance", 0.65f, 0.8f, Mood), ("dancing", 0.7f, 0.8f, Mood),
        ("groovy", 0.65f, 0.55f, Mood), ("groove", 0.6f, 0.5f, Mood), ("club", 0.5f, 0.8f, Mood),
        ("anthem", 0.55f, 0.65f, Mood), ("fiesta", 0.75f, 0.8f, Mood), ("friday", 0.6f, 0.6f, Scene),
        ("weekend", 0.6f, 0.45f, Scene), ("clubbing", 0.5f, 0.85f, Mood), ("funky", 0.65f, 0.6f, Mood),
        // focus
        ("instrumental", 0.15f, -0.35f, Scene), ("study", 0.15f, -0.45f, Mood), ("focus", 0.15f, -0.35f, Mood),
        ("concentration", 0.1f, -0.4f, Mood), ("minimal", 0.05f, -0.3f, Scene), ("atmospheric", 0.05f, -0.45f, Scene),
        ("meditative", 0.3f, -0.8f, Mood), ("meditation", 0.3f, -0.8f, Mood), ("reading", 0.2f, -0.5f, Scene),
        ("work", 0.1f, -0.1f, Scene), ("coding", 0.1f, -0.2f, Scene), ("contemplative", 0.1f, -0.55f, Mood),
        // genres as priors
        ("ambient", 0.1f, -0.75f, Genre), ("classical", 0.2f, -0.45f, Genre), ("piano", 0.2f, -0.45f, Genre),
        ("metal", -0.35f, 0.85f, Genre), ("heavy metal", -0.3f, 0.85f, Genre), ("death metal", -0.6f, 0.95f, Genre),
        ("black metal", -0.6f, 0.9f, Genre), ("thrash metal", -0.45f, 0.95f, Genre), ("metalcore", -0.45f, 0.9f, Genre),
        ("hardcore", -0.4f, 0.9f, Genre), ("punk", -0.15f, 0.85f, Genre), ("punk rock", -0.1f, 0.85f, Genre),
        ("grunge", -0.4f, 0.6f, Genre), ("industrial", -0.45f, 0.75f, Genre), ("rock", 0.1f, 0.55f, Genre),
        ("hard rock", 0.0f, 0.75f, Genre), ("classic rock", 0.2f, 0.45f, Genre), ("alternative", -0.05f, 0.35f, Genre),
        ("indie", 0.05f, 0.1f, Genre), ("indie pop", 0.4f, 0.2f, Genre), ("pop", 0.55f, 0.4f, Genre),
        ("dance pop", 0.65f, 0.7f, Genre), ("disco", 0.75f, 0.7f, Genre), ("funk", 0.65f, 0.6f, Genre),
        ("house", 0.5f, 0.7f, Genre), ("techno", 0.05f, 0.8f, Genre), ("trance", 0.35f, 0.75f, Genre),
        ("edm", 0.55f, 0.85f, Genre), ("electronic", 0.2f, 0.45f, Genre), ("drum and bass", 0.15f, 0.9f, Genre),
        ("dubstep", -0.1f, 0.9f, Genre), ("synthpop", 0.4f, 0.35f, Genre), ("new wave", 0.3f, 0.4f, Genre),
        ("hip hop", 0.15f, 0.55f, Genre), ("hip-hop", 0.15f, 0.55f, Genre), ("rap", 0.05f, 0.65f, Genre),
        ("trap", -0.05f, 0.7f, Genre), ("rnb", 0.4f, 0.0f, Genre), ("r&b", 0.4f, 0.0f, Genre),
        ("soul", 0.4f, -0.05f, Genre), ("neo-soul", 0.4f, -0.3f, Genre), ("jazz", 0.3f, -0.3f, Genre),
        ("smooth jazz", 0.45f, -0.55f, Genre), ("bossa nova", 0.5f, -0.5f, Genre), ("blues", -0.35f, -0.15f, Genre),
        ("folk", 0.1f, -0.4f, Genre), ("country", 0.3f, 0.0f, Genre), ("singer-songwriter", 0.0f, -0.4f, Genre),
        ("reggae", 0.6f, -0.1f, Genre), ("ska", 0.65f, 0.65f, Genre), ("latin", 0.65f, 0.6f, Genre),
        ("salsa", 0.75f, 0.75f, Genre), ("reggaeton", 0.55f, 0.75f, Genre), ("gospel", 0.65f, 0.35f, Genre),
        ("shoegaze", -0.1f, -0.1f, Genre), ("post-rock", 0.0f, -0.2f, Genre), ("trip-hop", -0.15f, -0.35f, Genre),
        ("trip hop", -0.15f, -0.35f, Genre), ("emo", -0.55f, 0.45f, Genre), ("goth", -0.5f, 0.1f, Genre),
        ("gothic", -0.5f, 0.1f, Genre), ("darkwave", -0.45f, 0.2f, Genre), ("lo-fi", 0.2f, -0.6f, Genre),
        ("soundtrack", 0.1f, 0.0f, Genre), ("orchestral", 0.15f, 0.2f, Genre), ("opera", 0.0f, 0.3f, Genre),
        ("k-pop", 0.6f, 0.6f, Genre), ("eurodance", 0.6f, 0.8f, Genre), ("britpop", 0.35f, 0.45f, Genre),
        ("power ballad", 0.15f, 0.2f, Genre), ("ballad", -0.05f, -0.4f, Genre), ("lullaby", 0.4f, -0.85f, Genre),
    ];

    public static IEnumerable<KeyValuePair<string, LexiconEntry>> Entries() =>
        Table.Select(t => KeyValuePair.Create(t.Word, new LexiconEntry(new MoodPoint(t.Valence, t.Arousal), t.Strength)));
}
