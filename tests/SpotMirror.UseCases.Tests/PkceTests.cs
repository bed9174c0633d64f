namespace SpotMirror.UseCases.Tests;

public sealed class PkceTests
{
    [Fact]
    public void The_challenge_is_the_base64url_sha256_of_the_verifier_as_in_rfc_7636_appendix_b() =>
        Assert.Equal("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", Pkce.Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));

    [Fact]
    public void A_verifier_is_43_to_128_unreserved_characters_and_never_the_same_twice()
    {
        var verifiers = Enumerable.Range(0, 50).Select(_ => Pkce.NewVerifier()).ToList();

        Assert.All(verifiers, v =>
        {
            Assert.InRange(v.Length, 43, 128);
            Assert.All(v, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~', $"'{c}' is not unreserved"));
        });
        Assert.Equal(verifiers.Count, verifiers.Distinct().Count());
    }

    [Fact]
    public void A_challenge_has_no_padding_and_no_characters_a_url_would_change()
    {
        var challenge = Pkce.Challenge(Pkce.NewVerifier());

        Assert.Equal(43, challenge.Length);
        Assert.Equal(challenge, Uri.EscapeDataString(challenge));
    }

    [Fact]
    public void A_state_looks_like_a_state_and_only_its_hash_is_kept()
    {
        var state = Pkce.NewState();

        Assert.True(Pkce.LooksLikeState(state));
        Assert.Equal(64, Pkce.Hash(state).Length);
        Assert.DoesNotContain(state, Pkce.Hash(state), StringComparison.Ordinal);
        Assert.NotEqual(Pkce.Hash(state), Pkce.Hash(Pkce.NewState()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'")]
    public void Anything_else_is_not_a_state_and_is_never_looked_up(string? text) =>
        Assert.False(Pkce.LooksLikeState(text));
}
