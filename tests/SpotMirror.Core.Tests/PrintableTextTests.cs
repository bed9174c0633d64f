using SpotMirror.Core.Ports;

namespace SpotMirror.Core.Tests;

/// <summary>Names from other people cannot colour, move or reorder the text they are shown in.</summary>
public sealed class PrintableTextTests
{
    [Theory]
    [InlineData("Ana", "Ana")]
    [InlineData("\u001B[31mRed\u001B[0m", "Red")]                  // ANSI colour, start and reset
    [InlineData("\u001B[2J\u001B[HBoo", "Boo")]                    // clear screen, cursor home
    [InlineData("\u001B]0;pwned\u0007Ana", "Ana")]                 // OSC: set the terminal title
    [InlineData("abc\u202Egnp.exe", "abcgnp.exe")]                 // right-to-left override
    [InlineData("\u2066Ana\u2069 \u200FBen", "Ana Ben")]           // isolates and a mark
    [InlineData("Ana\nBen\tCleo\r", "Ana Ben Cleo")]               // line breaks and tabs are spaces
    [InlineData("bell\u0007\u0000nul", "bellnul")]                 // other controls vanish
    [InlineData("Zoë 🎧 ناديا", "Zoë 🎧 ناديا")]                    // letters of any script and emoji stay
    [InlineData("\u001B", "")]
    public void Control_and_bidi_override_characters_are_removed(string raw, string shown) =>
        Assert.Equal(shown, PrintableText.Clean(raw));

    [Fact]
    public void A_chat_user_and_a_group_member_carry_only_the_clean_name()
    {
        Assert.Equal("Red", new ChatUser("test", "1", "\u001B[31mRed").DisplayName);
        Assert.Equal("Ana", new GroupMember(1, "\u202EAna", DateTimeOffset.UnixEpoch, null).DisplayName);
    }
}
