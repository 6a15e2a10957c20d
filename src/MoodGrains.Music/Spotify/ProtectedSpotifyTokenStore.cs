using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using MoodGrains.Storage.Catalog;

namespace MoodGrains.Music.Spotify;

/// <summary>
/// Keeps Spotify logins in PostgreSQL (<c>spotify_tokens</c>), encrypted with ASP.NET Core Data Protection.
/// Every silo must share the Data Protection key ring, or a login made on one silo is unreadable on another
/// (docs/operations.md says how). A login this silo cannot read is left in place, not deleted: another silo with the
/// right keys may still read it; here it counts as not linked, so the user is offered to connect Spotify again.
/// </summary>
public sealed partial class ProtectedSpotifyTokenStore(
    IDataProtectionProvider dataProtection, SpotifyTokenRepository repository, ILogger<ProtectedSpotifyTokenStore> logger) : ISpotifyTokenStore
{
    // The purpose string isolates these payloads: ciphertext made for anything else will not decrypt here.
    private readonly IDataProtector _protector = dataProtection.CreateProtector("MoodGrains.Music.Spotify.Tokens.v1");
    private readonly SpotifyTokenRepository _repository = repository;

    public async Task<SpotifyTokens?> GetAsync(string userId, CancellationToken cancellationToken)
    {
        var ciphertext = await _repository.GetCiphertextAsync(userId, cancellationToken);
        return ciphertext is null ? null : Decrypt(userId, ciphertext);
    }

    public Task SaveAsync(string userId, SpotifyTokens tokens, CancellationToken cancellationToken) =>
        _repository.SaveCiphertextAsync(userId, Encrypt(tokens), cancellationToken);

    public async Task<SpotifyTokens?> UpdateAsync(string userId, Func<SpotifyTokens, CancellationToken, Task<SpotifyTokens>> update, CancellationToken cancellationToken)
    {
        SpotifyTokens? stored = null;
        MusicAccountNotLinkedException? refused = null;
        await _repository.UpdateLockedAsync(userId, async (ciphertext, ct) =>
        {
            if (Decrypt(userId, ciphertext) is not { } current)
            {
                return ciphertext;
            }

            try
            {
                stored = await update(current, ct);
                return ReferenceEquals(stored, current) ? ciphertext : Encrypt(stored);
            }
            catch (MusicAccountNotLinkedException e)
            {
                // The refresh token read under the lock was refused: nobody else holds a newer one, so the login is dead.
                refused = e;
                return null;
            }
        }, cancellationToken);

        return refused is null ? stored : throw refused;
    }

    public Task DeleteAsync(string userId, CancellationToken cancellationToken) => _repository.DeleteAsync(userId, cancellationToken);

    private string Encrypt(SpotifyTokens tokens) => _protector.Protect(JsonSerializer.Serialize(tokens, SpotifyJsonContext.Default.SpotifyTokens));

    private SpotifyTokens? Decrypt(string userId, string ciphertext)
    {
        try
        {
            return JsonSerializer.Deserialize(_protector.Unprotect(ciphertext), SpotifyJsonContext.Default.SpotifyTokens);
        }
        catch (CryptographicException)
        {
            // Not this silo's key ring (keys not shared, or lost): a relink is needed here; the row may be fine elsewhere.
            LogUnreadable(logger, userId);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Spotify login of user {UserId} cannot be decrypted with this silo's Data Protection keys; kept, and the user is asked to connect Spotify again")]
    private static partial void LogUnreadable(ILogger logger, string userId);
}
