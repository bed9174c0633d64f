using SpotMirror.Chat.Pictures;

namespace SpotMirror.Chat;

/// <summary>Mints one-time sign-in links to the web app; the link is the secret, so it is made only as a reply is sent.</summary>
public interface IWebSignInLinks
{
    /// <summary>How long a link works.</summary>
    TimeSpan Lifetime { get; }

    Task<Uri> IssueAsync(long userId, CancellationToken cancellationToken);

    /// <summary>A link that, once it has signed its person in, leads on to <paramref name="onwardPath"/> (a local /web path).</summary>
    Task<Uri> IssueAsync(long userId, string? onwardPath, CancellationToken cancellationToken);
}

/// <summary>/web, and what an adapter adds to a reply just before it goes: the sign-in link, the taste picture.</summary>
public sealed partial class ChatService
{
    private Reply Web(long userId)
    {
        if (webLinks is null)
        {
            return Reply.Problem("The web app doesn't run alongside this chat (it comes with the HTTP API), so I have no link to give you.");
        }
        return Reply.Info(
            "Your sign-in link to the SpotMirror web app:",
            $"It works once, for the next {webLinks.Lifetime.TotalMinutes:0} minutes, and signs in as you: don't share it.")
            with { SignInFor = userId, Private = true };
    }

    /// <summary>
    /// The reply as it should be shown: a sign-in reply gets its link (first line), minted now. Adapters call
    /// this as they send, never before queueing, so the link is not kept anywhere but in the message itself.
    /// </summary>
    public async Task<Reply> CompleteAsync(Reply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (reply.SignInFor is not { } userId || webLinks is null) return reply;
        var link = await webLinks.IssueAsync(userId, reply.SignInNext, cancellationToken).ConfigureAwait(false);
        return reply with { Lines = [link.ToString(), .. reply.Lines], SignInFor = null, SignInNext = null };
    }

    /// <summary>The taste picture a reply carries (PNG), or null when it carries none.</summary>
    public async Task<byte[]?> PictureAsync(Reply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (reply.PictureOf is not { } userId || records is null) return null;
        var taste = await profiles.TasteAsync(records, userId, cancellationToken).ConfigureAwait(false);
        return TastePicture.Render(taste, "Your taste");
    }
}
