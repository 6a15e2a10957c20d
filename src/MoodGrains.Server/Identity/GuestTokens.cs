using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using MoodGrains.Server.Options;

namespace MoodGrains.Server.Identity;

/// <summary>
/// Signed, unguessable guest identities: "userId.expiresUnix.signature", HMAC-SHA256 over the first two parts.
/// The user id is 128 random bits, so knowing someone's id from a room's member list does not let you become them
/// without the token.
/// </summary>
public sealed class GuestTokens
{
    private readonly byte[] _key;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _clock;

    public GuestTokens(IOptions<GuestSessionOptions> options, TimeProvider clock, ILogger<GuestTokens> logger)
    {
        _clock = clock;
        _lifetime = options.Value.Lifetime;
        if (string.IsNullOrWhiteSpace(options.Value.SigningKey))
        {
            logger.LogWarning("No session signing key configured (MOODGRAINS_SESSION_KEY); guest sessions will not survive a restart and cannot span silos");
            _key = RandomNumberGenerator.GetBytes(32);
        }
        else
        {
            _key = Convert.FromBase64String(options.Value.SigningKey);
        }
    }

    public (string UserId, string Token, DateTimeOffset ExpiresAt) Issue()
    {
        var userId = "u" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var expires = _clock.GetUtcNow() + _lifetime;
        var payload = $"{userId}.{expires.ToUnixTimeSeconds()}";
        return (userId, $"{payload}.{Sign(payload)}", expires);
    }

    /// <summary>Returns the user id of a valid, unexpired token, or null.</summary>
    public string? Validate(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 256)
        {
            return null;
        }

        var parts = token.Split('.');
        if (parts.Length != 3 || !long.TryParse(parts[1], out var expiresUnix))
        {
            return null;
        }

        var expected = Encoding.ASCII.GetBytes(Sign($"{parts[0]}.{parts[1]}"));
        var actual = Encoding.ASCII.GetBytes(parts[2]);
        if (!CryptographicOperations.FixedTimeEquals(expected, actual))
        {
            return null;
        }

        return DateTimeOffset.FromUnixTimeSeconds(expiresUnix) > _clock.GetUtcNow() ? parts[0] : null;
    }

    /// <summary>An HMAC with the same key for another kind of credential; the purpose keeps it from passing as a session token.</summary>
    public string SignFor(string purpose, string payload) => Sign(purpose + ":" + payload);

    private string Sign(string payload) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(payload)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
