using System.Net;
using System.Text;
using SpotMirror.Testing;

namespace SpotMirror.Worker.Tests.Service;

/// <summary>Issue 17 item 12 through the real process on a disk that really is full.</summary>
public sealed class FullDiskEndToEndTests
{
    private const int Requests = 30;

    [RootFact]
    public async Task A_full_disk_answers_503_with_retry_after_logs_one_trace_and_a_count_and_recovers_when_space_comes_back()
    {
        using var disk = SmallDisk.Mount(megabytes: 16);
        var database = Path.Combine(disk.Path, "spotmirror.db");
        // The starter catalogue goes in while there is room; the last connection's close folds the WAL in.
        Assert.Equal(0, (await SpotMirrorProcess.RunAsync(["catalog", "stats", "--db", database])).ExitCode);
        using var service = ServiceProcess.Start(new Dictionary<string, string?> { ["Storage__Path"] = database });
        service.Input.Close();
        await service.WaitForOkAsync("/health/ready");

        disk.Fill();
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < Requests; i++) answers.Add(await LikeAsync(service, $"fan{i}"));
        var ready = await service.GetAsync("/health/ready");
        disk.Free();
        using var afterwards = await LikeAsync(service, "fan-after");
        var exit = await service.TerminateAsync();

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.ServiceUnavailable, a.StatusCode));
        Assert.All(answers, a => Assert.Equal(TimeSpan.FromSeconds(60), a.Headers.RetryAfter?.Delta));
        Assert.Contains("disk is full", await answers[0].Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
        Assert.Equal(0, exit);
        var log = service.Log;
        Assert.Equal(1, Occurrences(log, "a request failed because the store is Full"));
        Assert.Equal(1, Occurrences(log, "10 requests so far failed because the store was Full"));
        Assert.Equal(1, Occurrences(log, "StoreFaultException"));
        foreach (var answer in answers) answer.Dispose();
    }

    private static async Task<HttpResponseMessage> LikeAsync(ServiceProcess service, string user)
    {
        using var body = new StringContent("{\"trackId\":1,\"signal\":\"like\"}", Encoding.UTF8, "application/json");
        return await service.Client.PostAsync(new Uri($"/users/{user}/feedback", UriKind.Relative), body);
    }

    private static int Occurrences(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
