namespace SpotMirror.Storage.Copy;

/// <summary>
/// Which tables `storage copy` moves, in an order where every row's foreign keys are already there, and why
/// the rest stay behind. Every table of the schema is in one list or the other (a test holds it so, so a new
/// migration cannot add a table the copy silently forgets). Columns and primary keys are read from the
/// target's catalogue, so a column added by a later migration is copied without a change here.
/// </summary>
public static class CopyPlan
{
    public static IReadOnlyList<string> Copied { get; } =
    [
        // The catalogue first: everything else points at tracks.
        "artists",
        "tracks",
        "track_tags",
        "track_provider_ids",
        "users",
        "preferences",
        "feedback_events",
        "active_reactions",
        "sent_messages",
        "sent_message_tracks",
        "list_pages",
        // Telegram's offset and Discord's session: the copy's workers go on from where the source stopped.
        "checkpoints",
        // Replies not yet delivered are still owed.
        "outbox",
        "group_sessions",
        "group_members",
        // Saves the provider calls again; expired rows are pruned on the target as they would have been here.
        "provider_cache",
        // An unfinished catalogue sync resumes where it stopped.
        "sync_runs",
        "sync_items",
        "linked_accounts",
        "imported_preferences",
        // Stored hashed: the links and sessions people hold keep working.
        "web_sign_in_tokens",
        "web_sessions",
        // Protected with the data protection keys; they stay readable where the workers share those keys.
        "authorization_requests",
        "provider_tokens",
        // Ids of tracks and users are copied unchanged, so the published factors still fit; the copy's workers
        // load them instead of fitting from nothing.
        "learned_models",
    ];

    public static IReadOnlyDictionary<string, string> Skipped { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["changes"] = "the change feed only tells running workers what to mirror in memory; a worker started on the copy loads every table and follows the feed from its end, so old rows would be replayed by no one (and are pruned after an hour anyway)",
        ["leases"] = "held by processes of the source, on its clock; a copied lease would keep the copy's workers from the job until it ran out",
        ["schema_migrations"] = "the target records its own migrations as it applies them",
    };
}
