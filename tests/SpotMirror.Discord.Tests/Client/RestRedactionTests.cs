using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;

namespace SpotMirror.Discord.Tests.Client;

/// <summary>A server (or a proxy) that echoes the request, Authorization header and all, does not put the token in an error.</summary>
public sealed class RestRedactionTests
{
    private const string Token = "MTk4NjIy.Gx1aBc.d-E_fGh-echoed";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_error_that_echoes_the_authorization_header_names_no_token(bool urlEncoded)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var echo = EchoOnceAsync(listener, urlEncoded);
        using var rest = new DiscordRest(new DiscordOptions { Token = Token, ApiBaseUrl = $"http://127.0.0.1:{port}/api/v10" }, TimeProvider.System, NullLogger<DiscordRest>.Instance);

        var error = await Assert.ThrowsAsync<DiscordRestException>(() =>
            rest.SendAsync(HttpMethod.Post, "POST /channels/{id}/messages", "1", "/channels/1/messages", null, idempotent: false, CancellationToken.None));
        await echo;

        Assert.DoesNotContain("Gx1aBc", error.Message, StringComparison.Ordinal);
        Assert.Contains("[redacted]", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Answers one HTTP request with a 400 whose plain-text body is the request's own head.</summary>
    private static async Task EchoOnceAsync(TcpListener listener, bool urlEncoded)
    {
        using var client = await listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var head = new StringBuilder();
        var buffer = new byte[4096];
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0) break;
            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        var text = head.ToString().Split("\r\n\r\n")[0];
        var body = Encoding.UTF8.GetBytes(urlEncoded ? Uri.EscapeDataString(text) : text);
        var answer = $"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(answer));
        await stream.WriteAsync(body);
        await stream.FlushAsync();
    }
}
