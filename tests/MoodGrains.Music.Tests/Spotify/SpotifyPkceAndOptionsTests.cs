using Microsoft.AspNetCore.WebUtilities;
using MoodGrains.Music.Spotify;

namespace MoodGrains.Music.Tests.Spotify;

public sealed class SpotifyPkceAndOptionsTests
{
    [Fact]
    public void The_challenge_matches_the_RFC_7636_example()
    {
        // RFC 7636 appendix B.
        Assert.Equal("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", SpotifyPkce.CreateCodeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
    }

    [Fact]
    public void Verifiers_are_long_random_and_use_unreserved_characters_only()
    {
        var a = SpotifyPkce.CreateCodeVerifier();
        var b = SpotifyPkce.CreateCodeVerifier();
        Assert.NotEqual(a, b);
        Assert.Equal(64, a.Length);
        Assert.Matches("^[A-Za-z0-9._~-]+$", a);
        Assert.Throws<ArgumentOutOfRangeException>(() => SpotifyPkce.CreateCodeVerifier(42));
    }

    [Fact]
    public void The_authorize_url_carries_the_PKCE_parameters()
    {
        var options = new SpotifyOptions { ClientId = "abc" };
        var url = SpotifyPkce.BuildAuthorizeUrl(options, "state-1", "challenge-1");

        Assert.Equal("https://accounts.spotify.com/authorize", url.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(url.Query);
        Assert.Equal("abc", query["client_id"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal("challenge-1", query["code_challenge"]);
        Assert.Equal("state-1", query["state"]);
        Assert.Equal("http://127.0.0.1:5080/api/spotify/callback", query["redirect_uri"]);
        Assert.Contains("user-modify-playback-state", query["scope"].ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080/api/spotify/callback", true)]
    [InlineData("http://[::1]:5080/api/spotify/callback", true)]
    [InlineData("https://moodgrains.example/api/spotify/callback", true)]
    [InlineData("http://localhost:5080/api/spotify/callback", false)]
    [InlineData("http://192.168.1.10:5080/api/spotify/callback", false)]
    public void The_redirect_uri_must_be_https_or_a_loopback_literal(string redirect, bool valid)
    {
        var result = new SpotifyOptionsValidator().Validate(null, new SpotifyOptions { ClientId = "abc", RedirectUri = new Uri(redirect) });
        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("MoodGrains:Spotify:RedirectUri", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Without_a_client_id_Spotify_is_off_and_the_options_are_still_valid()
    {
        var options = new SpotifyOptions { RedirectUri = new Uri("http://localhost/x") };
        Assert.False(options.IsEnabled);
        Assert.True(new SpotifyOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void A_search_limit_over_ten_is_refused_at_start_up()
    {
        var result = new SpotifyOptionsValidator().Validate(null, new SpotifyOptions { ClientId = "abc", SearchLimit = 20 });
        Assert.False(result.Succeeded);
        Assert.Contains("MoodGrains:Spotify:SearchLimit must be between 1 and 10", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_failure_names_a_key_under_the_real_section()
    {
        var options = new SpotifyOptions
        {
            ClientId = "abc",
            ApiBaseUrl = new Uri("/v1/", UriKind.Relative),
            MaxRetries = -1,
            AttemptTimeout = TimeSpan.Zero,
            FollowDriftTolerance = TimeSpan.Zero,
        };

        var result = new SpotifyOptionsValidator().Validate(null, options);

        Assert.Equal("MoodGrains:Spotify", SpotifyOptions.Section);
        Assert.Equal(4, result.Failures!.Count());
        Assert.All(result.Failures!, f => Assert.StartsWith("MoodGrains:Spotify:", f, StringComparison.Ordinal));
    }
}
