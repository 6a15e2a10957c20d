using MoodGrains.Abstractions.Rooms;
using MoodGrains.Abstractions.Users;

namespace MoodGrains.Grains.Tests;

/// <summary>Names shown to a whole room: one visible spelling per name, so nobody can pass for the host.</summary>
public sealed class DisplayNameTests
{
    [Theory]
    [InlineData("  Ann  ", "Ann")]
    [InlineData("Ann\u200B", "Ann")] // zero-width space
    [InlineData("A\u200Dnn\uFEFF", "Ann")] // zero-width joiner, byte-order mark
    [InlineData("\u202EnnA", "nnA")] // right-to-left override: the text stays in its stored order
    [InlineData("\u2067Ann\u2069", "Ann")] // right-to-left isolate
    [InlineData("\u200FAnn\u200E", "Ann")] // right-to-left and left-to-right marks
    [InlineData("Ann\u00A0\u2003  Lee", "Ann Lee")] // no-break and em spaces collapse to one space
    [InlineData("Jose\u0301", "Jos\u00E9")] // NFC: e + combining acute is é
    [InlineData("Zo\u00EB", "Zo\u00EB")]
    [InlineData("a\u0302\u0301", "\u1EA5")] // two marks compose in turn: ấ
    [InlineData("e\u200B\u0301", "\u00E9")] // a stripped character between letter and mark
    [InlineData("\u1100\u1161\u11A8", "\uAC01")] // Hangul jamo compose by rule
    [InlineData("\u0915\u093C", "\u0915\u093C")] // a composition exclusion stays as it is
    public void Names_are_normalized_to_what_is_shown(string chosen, string shown)
    {
        Assert.Equal(shown, DisplayName.Validate(chosen));
    }

    [Fact]
    public void The_host_cannot_be_impersonated_with_invisible_characters()
    {
        Assert.Equal(DisplayName.Validate("Host"), DisplayName.Validate("Ho\u200Bst\u2066"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\u200B\u200C\u200D")]
    [InlineData("\u202E\u2066\u2069")]
    [InlineData(null)]
    public void A_name_with_nothing_visible_is_refused_clearly(string? chosen)
    {
        var refused = Assert.Throws<RoomException>(() => DisplayName.Validate(chosen));

        Assert.Equal(RoomError.InvalidDisplayName, refused.Error);
        Assert.Contains("visible", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_length_cap_counts_the_normalized_name()
    {
        var atCap = new string('a', DisplayName.MaxLength);

        Assert.Equal(atCap, DisplayName.Validate(atCap + new string('\u200B', 10)));
        Assert.Equal(RoomError.InvalidDisplayName, Assert.Throws<RoomException>(() => DisplayName.Validate(atCap + "b")).Error);
    }

    [Theory]
    [InlineData("Ann\u0007")]
    [InlineData("\uD800Ann")]
    public void Control_characters_and_broken_text_are_refused(string chosen)
    {
        Assert.Equal(RoomError.InvalidDisplayName, Assert.Throws<RoomException>(() => DisplayName.Validate(chosen)).Error);
    }
}
