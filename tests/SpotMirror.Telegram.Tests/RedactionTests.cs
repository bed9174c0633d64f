using Microsoft.Extensions.Options;

namespace SpotMirror.Telegram.Tests;

/// <summary>The token Telegram puts in every URL never reaches a log line through an error's text.</summary>
public sealed class RedactionTests
{
    private const string Token = "123456:AAH-k_9zQx-secret";

    [Theory]
    [InlineData("Response status code does not indicate success: 502 (https://api.telegram.org/bot123456:AAH-k_9zQx-secret/sendMessage)")]
    [InlineData("proxy error for %2Fbot123456%3AAAH-k_9zQx-secret%2FsendMessage")]
    [InlineData("proxy error for %2fbot123456%3aAAH-k_9zQx-secret%2fsendMessage")]
    public void Describe_blots_out_the_token_raw_or_url_encoded(string message)
    {
        using var connection = new TelegramConnection(Options.Create(new TelegramOptions { Token = Token }));

        var described = connection.Describe(new HttpRequestException(message, new IOException(message)));

        Assert.DoesNotContain("AAH-k_9zQx-secret", described, StringComparison.Ordinal);
        Assert.Contains("[redacted]", described, StringComparison.Ordinal);
    }
}
