using System.Collections.Concurrent;

namespace MoodGrains.Music.Spotify;

/// <summary>
/// A user's Spotify login. ToString is redacted so that a token never reaches a log
/// through string formatting or a record's generated printer.
/// </summary>
public sealed record SpotifyTokens(string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt, string Scope)
{
    public bool IsExpired(DateTimeOffset now, TimeSpan skew) => ExpiresAt - skew <= now;

    public override string ToString() =>
        $"SpotifyTokens {{ AccessToken = ***, RefreshToken = ***, ExpiresAt = {ExpiresAt:O}, Scope = {Scope} }}";
}

/// <summary>
/// Server-side storage of users' Spotify tokens. Implementations keep them encrypted at rest;
/// tokens never travel to browsers or other users.
/// </summary>
public interface ISpotifyTokenStore
{
    Task<SpotifyTokens?> GetAsync(string userId, CancellationToken cancellationToken);

    Task SaveAsync(string userId, SpotifyTokens tokens, CancellationToken cancellationToken);

    Task DeleteAsync(string userId, CancellationToken cancellationToken);
}

/// <summary>Process-memory store for tests and single-process development runs; logins are lost on restart.</summary>
public sealed class InMemorySpotifyTokenStore : ISpotifyTokenStore
{
    private readonly ConcurrentDictionary<string, SpotifyTokens> _tokens = new(StringComparer.Ordinal);

    public Task<SpotifyTokens?> GetAsync(string userId, CancellationToken cancellationToken) =>
        Task.FromResult(_tokens.TryGetValue(userId, out var tokens) ? tokens : null);

    public Task SaveAsync(string userId, SpotifyTokens tokens, CancellationToken cancellationToken)
    {
        _tokens[userId] = tokens;
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string userId, CancellationToken cancellationToken)
    {
        _tokens.TryRemove(userId, out _);
        return Task.CompletedTask;
    }
}
