using System.Text.RegularExpressions;
using MoodGrains.Hosting.Local;
using MoodGrains.Server.Security;

namespace MoodGrains.Server.Tests;

/// <summary>The page and the API carry the security headers, and the page itself needs nothing the policy forbids.</summary>
[Collection(WebCollection.Name)]
public sealed partial class SecurityHeadersTests(WebServerFixture web)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/js/app.js")]
    [InlineData("/health")]
    public async Task Every_response_carries_the_policy_nosniff_and_no_referrer(string path)
    {
        using var http = web.Factory.CreateClient();

        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        // The test server has no Spotify client id, so the SDK's origin is not admitted.
        Assert.DoesNotContain(SecurityHeaders.SpotifySdkOrigin, csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public void With_Spotify_the_policy_admits_the_Web_Playback_SDK_script_and_frame_only()
    {
        var directives = SecurityHeaders.ContentSecurityPolicy(spotify: true).Split("; ").ToDictionary(d => d.Split(' ')[0], d => d);

        Assert.Equal($"script-src 'self' {SecurityHeaders.SpotifySdkOrigin}", directives["script-src"]);
        Assert.Contains(SecurityHeaders.SpotifySdkOrigin, directives["frame-src"], StringComparison.Ordinal);
        Assert.Equal("style-src 'self'", directives["style-src"]);
        Assert.Equal("frame-ancestors 'none'", directives["frame-ancestors"]);
        Assert.Equal("frame-src 'none'", SecurityHeaders.ContentSecurityPolicy(spotify: false).Split("; ").Single(d => d.StartsWith("frame-src", StringComparison.Ordinal)));
    }

    /// <summary>What the policy would block in the page: inline scripts, inline handlers and inline styles.</summary>
    [Fact]
    public void The_page_has_no_inline_script_or_style()
    {
        var html = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "src", "MoodGrains.Server", "wwwroot", "index.html"));

        Assert.All(ScriptTag().Matches(html), m => Assert.Contains("src=", m.Value, StringComparison.Ordinal));
        Assert.DoesNotMatch(InlineStyleOrHandler(), html);
        foreach (var script in Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "src", "MoodGrains.Server", "wwwroot", "js"), "*.js", SearchOption.AllDirectories))
        {
            Assert.DoesNotMatch(SetsInlineStyleOrCode(), File.ReadAllText(script));
        }
    }

    [GeneratedRegex("<script[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex(@"<style|\sstyle\s*=|\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineStyleOrHandler();

    /// <summary>Strings of markup with styles or handlers, and code from strings; element.style.x = ... is allowed.</summary>
    [GeneratedRegex(@"setAttribute\(\s*['""](style|on[a-z]+)|\beval\(|new Function\(|style=['""]|\son[a-z]+=['""]")]
    private static partial Regex SetsInlineStyleOrCode();
}
