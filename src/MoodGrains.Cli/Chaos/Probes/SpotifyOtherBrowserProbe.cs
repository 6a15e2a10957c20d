using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MoodGrains.Cli.Chaos.Probes;

/// <summary>
/// Account-linking CSRF: an attacker starts a Spotify login and gets a victim's browser (which holds no cookie of that
/// login) to finish it. The attacker's own browser finishing a second login is the control: it must link.
/// </summary>
internal sealed class SpotifyOtherBrowserProbe : ChaosProbe
{
    public override string Name => "Spotify login completed by another browser";

    public override string Expected => "callback without the login's nonce cookie refused, nothing linked; the starting browser links; show_dialog asked";

    public override async Task<ProbeOutcome> RunAsync(ChaosCluster cluster, CancellationToken cancellationToken)
    {
        await using var attacker = await cluster.GuestAsync(cluster.A, cancellationToken);
        using var attackerBrowser = Browser(cluster.A.BaseAddress, attacker.Token);
        using var victimBrowser = Browser(cluster.B.BaseAddress, token: null);

        var (authorize, state) = await StartLoginAsync(attackerBrowser, cancellationToken);
        var exchangesBefore = cluster.Spotify.TokenExchanges;
        using var victim = await victimBrowser.GetAsync($"/api/spotify/callback?code=premium-victim&state={Uri.EscapeDataString(state)}", cancellationToken);
        var victimLanding = victim.Headers.Location?.ToString() ?? $"{(int)victim.StatusCode}";
        var linkedAfterAttack = await LinkedAsync(attackerBrowser, cancellationToken);
        var reachedSpotify = cluster.Spotify.TokenExchanges > exchangesBefore;

        var (_, ownState) = await StartLoginAsync(attackerBrowser, cancellationToken);
        using var own = await attackerBrowser.GetAsync($"/api/spotify/callback?code=premium-attacker&state={Uri.EscapeDataString(ownState)}", cancellationToken);
        var ownLanding = own.Headers.Location?.ToString() ?? $"{(int)own.StatusCode}";
        var linkedOwn = await LinkedAsync(attackerBrowser, cancellationToken);

        var showDialog = authorize.Contains("show_dialog=true", StringComparison.Ordinal);
        var refused = victim.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found && victimLanding.Contains("spotify=error", StringComparison.Ordinal);
        var held = refused && !linkedAfterAttack && !reachedSpotify && linkedOwn && showDialog;
        return new ProbeOutcome(
            $"other browser landed on {victimLanding} ({(linkedAfterAttack ? "victim's account LINKED to the attacker" : "nothing linked")}" +
            $"{(reachedSpotify ? ", code exchanged" : string.Empty)}); starting browser landed on {ownLanding} (linked: {linkedOwn}); show_dialog {(showDialog ? "asked" : "missing")}",
            held);
    }

    private static HttpClient Browser(Uri server, string? token)
    {
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = server,
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    private static async Task<(string Authorize, string State)> StartLoginAsync(HttpClient browser, CancellationToken cancellationToken)
    {
        using var response = await browser.PostAsync("/api/spotify/login", null, cancellationToken);
        response.EnsureSuccessStatusCode();
        var url = (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("authorizeUrl").GetString()!;
        var state = System.Web.HttpUtility.ParseQueryString(new Uri(url).Query)["state"]
            ?? throw new InvalidOperationException("The authorize URL carries no state.");
        return (url, state);
    }

    private static async Task<bool> LinkedAsync(HttpClient browser, CancellationToken cancellationToken)
    {
        var status = await browser.GetFromJsonAsync<JsonElement>("/api/spotify/status", cancellationToken);
        return status.GetProperty("linked").GetBoolean();
    }
}
