using System.ComponentModel;
using Microsoft.AspNetCore.Http;
using SpotMirror.Core.Service;

namespace SpotMirror.Http;

/// <summary>
/// /health/live and /health/ready, as an orchestrator or a load balancer polls them. Live says only that the
/// process answers (a restart is the cure only when it does not); ready says whether traffic should come:
/// the catalogue is loaded and every registered check (the storage, each configured bot) passes.
/// </summary>
public sealed class Readiness(Func<bool> coreLoaded, IReadOnlyList<IReadinessCheck> checks)
{
    /// <summary>A probe that hangs is a failing probe: an orchestrator's own timeout is a few seconds.</summary>
    private static readonly TimeSpan CheckLimit = TimeSpan.FromSeconds(3);

    public static IResult Live() => TypedResults.Ok(new LivenessReport("live"));

    public async Task<IResult> ReadyAsync(CancellationToken cancellationToken)
    {
        var results = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["catalogue"] = coreLoaded() ? Ok : "not loaded yet" };
        var outcomes = await Task.WhenAll(checks.Select(c => RunAsync(c, cancellationToken))).ConfigureAwait(false);
        foreach (var (name, problem) in outcomes) results[name] = problem ?? Ok;
        var ready = results.Values.All(v => v == Ok);
        var report = new ReadinessReport(ready ? "ready" : "not-ready", results);
        return ready ? TypedResults.Ok(report) : TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private const string Ok = "ok";

    private static async Task<(string Name, string? Problem)> RunAsync(IReadinessCheck check, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(CheckLimit);
        try
        {
            return (check.Name, await check.ProblemAsync(limit.Token).WaitAsync(limit.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (check.Name, $"no answer within {CheckLimit.TotalSeconds:0} s");
        }
#pragma warning disable CA1031 // A probe reports any failure of a dependency as "not ready"; it must never throw itself.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return (check.Name, exception.Message.ReplaceLineEndings(" "));
        }
    }
}

/// <summary>The process answers.</summary>
public sealed record LivenessReport([property: Description("Always live: an answer at all is the point.")] string Status);

/// <summary>Whether traffic should come here, and each check's answer.</summary>
public sealed record ReadinessReport(
    [property: Description("ready, or not-ready when any check fails.")] string Status,
    [property: Description("Each check (catalogue, storage, telegram, discord) with ok or what is wrong.")] IDictionary<string, string> Checks);
