namespace MoodGrains.Cli.Tests;

public sealed class CliArgsTests
{
    private const string Usage = "moodgrains test --name N [--count N] [--ratio R] [--json]";

    private static CliArgs Parse(params string[] args) =>
        CliArgs.Parse(args, Usage, ["--name", "--count", "--ratio", "--postgres"], ["--json", "--all"]);

    private static UsageException Mistake(params string[] args) =>
        Assert.Throws<UsageException>(() => Parse(args));

    [Fact]
    public void Flags_are_present_only_when_given()
    {
        var parsed = Parse("--json");

        Assert.True(parsed.Has("--json"));
        Assert.False(parsed.Has("--all"));
        Assert.Null(parsed.Value("--json"));
    }

    [Fact]
    public void Value_options_take_the_next_word_or_the_text_after_equals()
    {
        var parsed = Parse("--name", "alpha", "--count=7", "--json");

        Assert.Equal("alpha", parsed.Value("--name"));
        Assert.Equal(7, parsed.Int("--count", 1));
        Assert.True(parsed.Has("--json"));
        Assert.Null(parsed.Value("--ratio"));
    }

    [Fact]
    public void An_equals_value_keeps_later_equals_signs_and_may_be_empty()
    {
        var parsed = Parse("--postgres=Host=db;Port=5432", "--name=");

        Assert.Equal("Host=db;Port=5432", parsed.Value("--postgres"));
        Assert.Equal("", parsed.Value("--name"));
    }

    [Fact]
    public void Option_names_ignore_case_and_the_last_of_a_repeated_option_wins()
    {
        var parsed = Parse("--NAME", "first", "--Name", "second", "--JSON");

        Assert.Equal("second", parsed.Value("--name"));
        Assert.True(parsed.Has("--json"));
    }

    [Fact]
    public void Absent_options_fall_back_to_the_defaults()
    {
        var parsed = Parse();

        Assert.Equal(42, parsed.Int("--count", 42));
        Assert.Equal(0.25, parsed.Double("--ratio", 0.25));
        Assert.Empty(parsed.Positional);
    }

    [Theory]
    [InlineData("--name")]
    [InlineData("--count")]
    public void A_value_option_at_the_end_needs_a_value(string option)
    {
        Assert.Equal($"{option} needs a value", Mistake(option).Message);
    }

    [Fact]
    public void A_value_option_followed_by_another_option_needs_a_value()
    {
        Assert.Equal("--count needs a value", Mistake("--count", "--json").Message);
    }

    [Theory]
    [InlineData("--bogus", "--bogus")]
    [InlineData("--bogus=1", "--bogus")]
    [InlineData("--", "--")]
    public void Unknown_options_are_reported_by_name(string arg, string name)
    {
        var error = Mistake("--json", arg);

        Assert.Equal($"unknown option '{name}'", error.Message);
        Assert.Equal(Usage, error.Usage);
    }

    [Fact]
    public void A_flag_given_a_value_is_a_mistake()
    {
        Assert.Equal("--json takes no value", Mistake("--json=false").Message);
    }

    [Fact]
    public void Positional_words_are_refused_unless_the_command_takes_them()
    {
        Assert.Equal("unexpected argument 'extra'", Mistake("--name", "a", "extra").Message);

        var parsed = CliArgs.Parse(["first.csv", "--json", "second.csv"], Usage, [], ["--json"], positional: true);
        Assert.Equal(["first.csv", "second.csv"], parsed.Positional);
        Assert.True(parsed.Has("--json"));
    }

    [Theory]
    [InlineData("12", 12)]
    [InlineData("-3", -3)]
    [InlineData("+5", 5)]
    public void Whole_numbers_parse(string text, int expected)
    {
        Assert.Equal(expected, Parse("--count", text).Int("--count", 0));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData("")]
    [InlineData("99999999999")]
    public void A_bad_whole_number_is_a_usage_error_naming_the_option_and_text(string text)
    {
        var parsed = Parse($"--count={text}");

        var error = Assert.Throws<UsageException>(() => parsed.Int("--count", 1));
        Assert.Equal($"--count takes a whole number, not '{text}'", error.Message);
        Assert.Equal(Usage, error.Usage);
    }

    [Fact]
    public void A_whole_number_below_the_minimum_is_a_usage_error()
    {
        var parsed = Parse("--count", "0");

        Assert.Equal(0, parsed.Int("--count", 5));
        Assert.Equal("--count takes a whole number of at least 1, not '0'", Assert.Throws<UsageException>(() => parsed.Int("--count", 5, min: 1)).Message);
        Assert.Equal(5, Parse().Int("--count", 5, min: 1));
    }

    [Theory]
    [InlineData("0.5", 0.5)]
    [InlineData("1e-3", 0.001)]
    [InlineData("-2", -2.0)]
    public void Numbers_parse_in_the_invariant_culture(string text, double expected)
    {
        Assert.Equal(expected, Parse("--ratio", text).Double("--ratio", 0));
    }

    [Theory]
    [InlineData("0,5")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("half")]
    public void A_bad_number_is_a_usage_error(string text)
    {
        var error = Assert.Throws<UsageException>(() => Parse("--ratio", text).Double("--ratio", 0));

        Assert.Equal($"--ratio takes a number, not '{text}'", error.Message);
    }

    [Fact]
    public void Postgres_prefers_the_option_over_the_environment()
    {
        Assert.Equal("Host=given", Parse("--postgres", "Host=given").Postgres());
    }

    [Fact]
    public void A_required_option_or_folder_is_refused_by_name_when_missing_and_a_folder_when_absent()
    {
        Assert.Equal("--name is required", Assert.Throws<UsageException>(() => Parse().Required("--name")).Message);
        Assert.Equal("--name is required", Assert.Throws<UsageException>(() => Parse().Folder("--name")).Message);
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-folder-{Guid.NewGuid():N}");
        Assert.Equal($"'{missing}' is not a folder", Assert.Throws<UsageException>(() => Parse("--name", missing).Folder("--name")).Message);
        Assert.Equal(Path.GetTempPath(), Parse("--name", Path.GetTempPath()).Folder("--name"));
        Assert.Equal("alpha", Parse("--name", "alpha").Required("--name"));
    }

    [Fact]
    public void Fail_carries_the_commands_usage()
    {
        var error = Parse().Fail("--name is required");

        Assert.Equal("--name is required", error.Message);
        Assert.Equal(Usage, error.Usage);
    }
}
