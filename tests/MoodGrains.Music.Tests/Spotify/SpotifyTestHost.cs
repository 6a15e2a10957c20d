using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MoodGrains.Music.Spotify;

namespace MoodGrains.Music.Tests.Spotify;

/// <summary>A service provider with the Spotify client wired as in production, pointed at a mock.</summary>
public sealed class SpotifyTestHost : IAsyncDisposable
{
    public const string UserId = "user-1";

    private readonly ServiceProvider _services;

    public SpotifyTestHost(
        Uri apiBaseUrl,
        Uri accountsBaseUrl,
        Action<SpotifyOptions>? configure = null,
        Func<HttpMessageHandler>? apiHandler = null,
        Func<HttpMessageHandler>? accountsHandler = null,
        Func<DelegatingHandler>? innerHandler = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<ISpotifyTokenStore>(Store);
        services.AddSpotify(o =>
        {
            o.ClientId = "test-client";
            o.ApiBaseUrl = apiBaseUrl;
            o.AccountsBaseUrl = accountsBaseUrl;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
            configure?.Invoke(o);
        });
        var api = services.AddHttpClient<SpotifyApiClient>();
        if (innerHandler is not null)
        {
            api.AddHttpMessageHandler(innerHandler);
        }

        if (apiHandler is not null)
        {
            api.ConfigurePrimaryHttpMessageHandler(apiHandler);
        }

        if (accountsHandler is not null)
        {
            services.AddHttpClient<SpotifyAccountsClient>().ConfigurePrimaryHttpMessageHandler(accountsHandler);
        }

        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public InMemorySpotifyTokenStore Store { get; } = new();

    public CapturingLoggerProvider Logs { get; } = new();

    public SpotifyApiClient Client => _services.GetRequiredService<SpotifyApiClient>();

    public IMusicProvider Provider => _services.GetRequiredService<IMusicProvider>();

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public Task LinkAsync(string accessToken = "access-1", string refreshToken = "refresh-1", TimeSpan? validFor = null) =>
        Store.SaveAsync(UserId, new SpotifyTokens(accessToken, refreshToken, DateTimeOffset.UtcNow + (validFor ?? TimeSpan.FromHours(1)), "user-read-private"),
            CancellationToken.None);

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

/// <summary>Keeps every formatted log line so tests can check what reached the logs.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._lines)
            {
                owner._lines.Add($"{logLevel} {category}: {formatter(state, exception)} {exception}");
            }
        }
    }
}
