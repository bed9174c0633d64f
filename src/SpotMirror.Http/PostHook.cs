using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SpotMirror.Http;

/// <summary>
/// A POST route another room serves through this app without knowing ASP.NET (a bot's webhook): the
/// composition root registers one in the host's services, and the app maps it beside the API. The
/// handler gets the headers and the whole body and says the status and a line of text to answer with.
/// </summary>
public sealed record PostHook(string Path, Func<PostHookRequest, CancellationToken, Task<PostHookAnswer>> HandleAsync);

/// <summary>One request to a hook: a header by name (null when absent) and the body as sent.</summary>
public sealed record PostHookRequest(Func<string, string?> Header, ReadOnlyMemory<byte> Body);

public sealed record PostHookAnswer(int Status, string Text);

internal static class PostHooks
{
    public static void Map(WebApplication app, IReadOnlyList<PostHook> hooks)
    {
        foreach (var hook in hooks)
        {
            app.MapPost(hook.Path, async context =>
            {
                // Kestrel's body limit (64 KB) bounds this; a larger body is a 413 before it is read.
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
                var headers = context.Request.Headers;
                var answer = await hook.HandleAsync(
                    new PostHookRequest(name => headers.TryGetValue(name, out var value) ? value.ToString() : null, body.ToArray()),
                    context.RequestAborted).ConfigureAwait(false);
                context.Response.StatusCode = answer.Status;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(answer.Text, context.RequestAborted).ConfigureAwait(false);
            }).ExcludeFromDescription();
        }
    }
}
