namespace SpotMirror.Core.Tests;

/// <summary>A known secret never survives into a log line, whichever way the text around it encoded it.</summary>
public sealed class SecretRedactorTests
{
    private const string TelegramToken = "123456:AAH-k_9zQx";
    private const string DiscordToken = "MTk4NjIy.Gx1aBc.d-E_fGh";

    private static readonly SecretRedactor Redactor = new(TelegramToken, DiscordToken, null, "");

    [Theory]
    [InlineData("POST https://api.telegram.org/bot123456:AAH-k_9zQx/sendMessage failed")]
    [InlineData("upstream said: GET %2Fbot123456%3AAAH-k_9zQx%2FgetUpdates")]            // percent-encoded, upper-case hex
    [InlineData("upstream said: GET %2fbot123456%3aAAH-k_9zQx%2fgetUpdates")]            // lower-case hex
    [InlineData("twice: %252Fbot123456%253AAAH-k_9zQx")]                                 // encoded twice
    [InlineData("{\"echo\":\"bot123456\\u003AAAH-k_9zQx\"}")]                           // JSON \u escape
    [InlineData("{\"headers\":{\"Authorization\":\"Bot MTk4NjIy.Gx1aBc.d-E_fGh\"}}")]    // an echoed Discord header
    [InlineData("Authorization: Bot MTk4NjIy%2EGx1aBc%2Ed%2DE%5FfGh")]                  // every punctuation mark encoded
    public void A_known_secret_is_redacted_in_every_encoding(string text)
    {
        var redacted = Redactor.Redact(text);

        Assert.Contains(SecretRedactor.Mask, redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("AAH-k_9zQx", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("Gx1aBc", redacted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bad Request: chat not found")]
    [InlineData("")]
    public void Text_without_a_secret_passes_unchanged(string text) => Assert.Equal(text, Redactor.Redact(text));

    [Fact]
    public void A_redactor_with_no_secrets_or_only_short_ones_changes_nothing() =>
        Assert.Equal("key abc in text", new SecretRedactor("abc", null).Redact("key abc in text"));
}
