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

    /// <summary>
    /// Reads the user's tokens and stores what <paramref name="update"/> makes of them (the same instance: nothing is
    /// written), with no other caller, on this server or another, updating the same login meanwhile: a refresh token
    /// may be spent only once. Returns the tokens stored afterwards, or null when the user has no readable login. When
    /// <paramref name="update"/> throws <see cref="MusicAccountNotLinkedException"/> the login is removed and the
    /// exception passes on; any other exception leaves the login as it was.
    /// </summary>
    Task<SpotifyTokens?> UpdateAsync(string userId, Func<SpotifyTokens, CancellationToken, Task<SpotifyTokens>> update, CancellationToken cancellationToken);

    Task DeleteAsync(string userId, CancellationToken cancellationToken);
}

/// <summary>Process-memory store for tests and single-process development runs; logins are lost on restart.</summary>
public sealed class InMemorySpotifyTokenStore : ISpotifyTokenStore
{
    private readonly ConcurrentDictionary<string, SpotifyTokens> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _updates = new(StringComparer.Ordinal);

    public Task<SpotifyTokens?> GetAsync(string userId, CancellationToken cancellationToken) =>
        Task.FromResult(_tokens.TryGetValue(userId, out var tokens) ? tokens : null);

    public Task SaveAsync(string userId, SpotifyTokens tokens, CancellationToken cancellationToken)
    {
        _tokens[userId] = tokens;
        return Task.CompletedTask;
    }

    public async Task<SpotifyTokens?> UpdateAsync(string userId, Func<SpotifyTokens, CancellationToken, Task<SpotifyTokens>> update, CancellationToken cancellationToken)
    {
        var gate = _updates.GetOrAdd(userId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!_tokens.TryGetValue(userId, out var current))
            {
                return null;
            }

            try
            {
                return _tokens[userId] = await update(current, cancellationToken);
            }
            catch (MusicAccountNotLinkedException)
            {
                _tokens.TryRemove(userId, out _);
                throw;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    public Task DeleteAsync(string userId, CancellationToken cancellationToken)
    {
        _tokens.TryRemove(userId, out _);
        return Task.CompletedTask;
    }
}
