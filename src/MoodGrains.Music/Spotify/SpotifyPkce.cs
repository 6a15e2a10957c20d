using System.Security.Cryptography;
using System.Text;

namespace MoodGrains.Music.Spotify;

/// <summary>
/// Proof Key for Code Exchange (RFC 7636): the secret that stands in for a client secret an app
/// like ours cannot keep. The verifier stays on the server until the token exchange.
/// </summary>
public static class SpotifyPkce
{
    // RFC 7636 section 4.1: unreserved characters only, 43 to 128 of them.
    private const string VerifierAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

    public static string CreateCodeVerifier(int length = 64)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 43);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, 128);
        return RandomNumberGenerator.GetString(VerifierAlphabet, length);
    }

    /// <summary>The S256 challenge: base64url(SHA-256(ASCII(verifier))) without padding.</summary>
    public static string CreateCodeChallenge(string codeVerifier)
    {
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(codeVerifier));
        return Base64Url(hash);
    }

    /// <summary>An unguessable value that ties the callback to the login that started it (CSRF protection).</summary>
    public static string CreateState() => Base64Url(RandomNumberGenerator.GetBytes(24));

    public static Uri BuildAuthorizeUrl(SpotifyOptions options, string state, string codeChallenge)
    {
        if (!options.IsEnabled)
        {
            throw new InvalidOperationException("Spotify is not configured: set MOODGRAINS_SPOTIFY_CLIENT_ID.");
        }

        var query = string.Join('&',
            Pair("client_id", options.ClientId!),
            Pair("response_type", "code"),
            Pair("redirect_uri", options.RedirectUri.AbsoluteUri),
            Pair("code_challenge_method", "S256"),
            Pair("code_challenge", codeChallenge),
            Pair("state", state),
            Pair("scope", options.Scopes),
            // Always ask: without the consent screen, a browser that approved the app before would be linked silently
            // by whoever sent it this URL.
            Pair("show_dialog", "true"));
        return new Uri(options.AccountsBaseUrl, "authorize?" + query);
    }

    private static string Pair(string name, string value) => name + "=" + Uri.EscapeDataString(value);

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
