using System.Net.Http.Headers;
using System.Text;

namespace SpotMirror.Testing.Telegram;

/// <summary>One webhook delivery attempt: the update, the answer's status (0: no answer), and which try it was.</summary>
public sealed record WebhookDelivery(long UpdateId, int Status, int Attempt, DateTimeOffset At);

/// <summary>
/// Telegram's webhook side: once setWebhook names a URL, pending updates are POSTed there one at a time, in
/// order, with the secret in X-Telegram-Bot-Api-Secret-Token; an answer other than 2xx (or none) is tried
/// again a moment later, and after <see cref="MaxAttempts"/> tries the update is given up, as Telegram gives
/// up "after a reasonable amount of attempts". getUpdates meanwhile answers 409.
/// </summary>
internal sealed class WebhookPush(UpdateQueue updates, RecordedLog<WebhookDelivery> deliveries, TimeProvider clock) : IAsyncDisposable
{
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";
    public const int MaxAttempts = 5;
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(200);

    private readonly Lock _gate = new();
    private readonly Dictionary<long, string> _delivered = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly List<CancellationTokenSource> _retired = [];
    private readonly List<Task> _loops = [];
    private CancellationTokenSource? _running;

    public WebhookTarget? Target { get; private set; }

    /// <summary>Points deliveries at a new target (null: none); the previous target's loop stops at once.</summary>
    public void Set(WebhookTarget? target)
    {
        lock (_gate)
        {
            _running?.Cancel();
            Target = target;
            _running = target is null ? null : new CancellationTokenSource();
            if (_running is not null)
            {
                _retired.Add(_running);
                _loops.Add(PushAsync(target!, _running.Token));
            }
        }
    }

    /// <summary>Delivers an update that was already answered once more, under the same update_id.</summary>
    public void Redeliver(long updateId)
    {
        string json;
        lock (_gate)
        {
            if (!_delivered.TryGetValue(updateId, out json!))
            {
                throw new InvalidOperationException($"Update {updateId} was never delivered through the webhook.");
            }
        }

        updates.Requeue(updateId, json);
    }

    public async ValueTask DisposeAsync()
    {
        Set(null);
        List<Task> loops;
        lock (_gate)
        {
            loops = [.. _loops];
        }

        foreach (var loop in loops)
        {
            await Quietly(loop).ConfigureAwait(false);
        }

        foreach (var source in _retired)
        {
            source.Dispose();
        }

        _http.Dispose();
    }

    private async Task PushAsync(WebhookTarget target, CancellationToken ct)
    {
        var attempts = 0;
        while (!ct.IsCancellationRequested)
        {
            var arrived = updates.Arrived;
            if (updates.FirstPending(target.AllowedUpdates) is not { } next)
            {
                await arrived.WaitAsync(ct).ConfigureAwait(false);
                continue;
            }

            attempts++;
            var status = await PostAsync(target, next.Json, ct).ConfigureAwait(false);
            deliveries.Add(new WebhookDelivery(next.Id, status, attempts, clock.GetUtcNow()));
            if (status is >= 200 and < 300 || attempts >= MaxAttempts)
            {
                lock (_gate)
                {
                    _delivered[next.Id] = next.Json;
                }

                updates.Remove(next.Id);
                attempts = 0;
            }
            else
            {
                await Task.Delay(RetryPause, ct).ConfigureAwait(false);
            }
        }
    }

    private async Task<int> PostAsync(WebhookTarget target, string json, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url)
        {
            Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        if (target.Secret is not null)
        {
            request.Headers.TryAddWithoutValidation(SecretHeader, target.Secret);
        }

        try
        {
            using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return 0;
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped with the webhook.
        }
    }
}

/// <summary>What setWebhook set: where to POST, the secret header's value, and which update types go there.</summary>
public sealed record WebhookTarget(string Url, string? Secret, IReadOnlyList<string>? AllowedUpdates);
