using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using MoodGrains.Server.Identity;

namespace MoodGrains.Server.Library;

/// <summary>A signed media URL and when it stops working.</summary>
public sealed record MediaUrl(string Url, DateTimeOffset ExpiresAt);

/// <summary>
/// Short-lived signed <c>/media/{trackId}</c> URLs, so an audio element can load a member's track without an
/// Authorization header: the HMAC over track, user and expiry is the credential. The key is the guest session
/// signing key (<see cref="GuestTokens"/>), under its own purpose, so every silo that accepts a member's session
/// accepts their media URLs too.
/// </summary>
public sealed class MediaUrls(GuestTokens tokens, IOptions<LibraryOptions> options, TimeProvider clock)
{
    private const string Purpose = "media";

    public TimeSpan Lifetime => options.Value.UrlLifetime;

    public MediaUrl Issue(long trackId, string userId)
    {
        var expires = DateTimeOffset.FromUnixTimeSeconds((clock.GetUtcNow() + Lifetime).ToUnixTimeSeconds());
        var e = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var s = tokens.SignFor(Purpose, Payload(trackId, userId, e));
        return new MediaUrl($"/media/{trackId}?u={Uri.EscapeDataString(userId)}&e={e}&s={s}", expires);
    }

    /// <summary>The seconds left on a valid, unexpired URL; null for a bad signature or an expired URL.</summary>
    public TimeSpan? Validate(long trackId, string? userId, string? expires, string? signature)
    {
        if (string.IsNullOrEmpty(userId) || userId.Length > 64 || string.IsNullOrEmpty(signature) || signature.Length > 64
            || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var unix))
        {
            return null;
        }

        var expected = Encoding.ASCII.GetBytes(tokens.SignFor(Purpose, Payload(trackId, userId, expires!)));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)))
        {
            return null;
        }

        var left = DateTimeOffset.FromUnixTimeSeconds(Math.Min(unix, DateTimeOffset.MaxValue.ToUnixTimeSeconds())) - clock.GetUtcNow();
        return left > TimeSpan.Zero ? left : null;
    }

    private static string Payload(long trackId, string userId, string expires) =>
        string.Create(CultureInfo.InvariantCulture, $"{trackId}.{userId}.{expires}");
}
