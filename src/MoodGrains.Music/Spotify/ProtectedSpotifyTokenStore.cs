using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using MoodGrains.Storage.Catalog;

namespace MoodGrains.Music.Spotify;

/// <summary>
/// Keeps Spotify logins in PostgreSQL (<c>spotify_tokens</c>), encrypted with ASP.NET Core Data Protection.
/// Every silo must share the Data Protection key ring, or a login made on one silo is unreadable on another.
/// </summary>
public sealed class ProtectedSpotifyTokenStore(IDataProtectionProvider dataProtection, SpotifyTokenRepository repository) : ISpotifyTokenStore
{
    // The purpose string isolates these payloads: ciphertext made for anything else will not decrypt here.
    private readonly IDataProtector _protector = dataProtection.CreateProtector("MoodGrains.Music.Spotify.Tokens.v1");
    private readonly SpotifyTokenRepository _repository = repository;

    public async Task<SpotifyTokens?> GetAsync(string userId, CancellationToken cancellationToken)
    {
        var ciphertext = await _repository.GetCiphertextAsync(userId, cancellationToken);
        if (ciphertext is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(_protector.Unprotect(ciphertext), SpotifyJsonContext.Default.SpotifyTokens);
        }
        catch (CryptographicException)
        {
            // The key ring changed (new machine, lost keys): the login cannot be recovered, so ask for a new one.
            await _repository.DeleteAsync(userId, cancellationToken);
            return null;
        }
    }

    public Task SaveAsync(string userId, SpotifyTokens tokens, CancellationToken cancellationToken) =>
        _repository.SaveCiphertextAsync(userId, _protector.Protect(JsonSerializer.Serialize(tokens, SpotifyJsonContext.Default.SpotifyTokens)), cancellationToken);

    public Task DeleteAsync(string userId, CancellationToken cancellationToken) => _repository.DeleteAsync(userId, cancellationToken);
}
