using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace MoodGrains.Music.Spotify;

/// <summary>
/// Typed client for the parts of the Spotify Web API that stay open to new apps: search, tracks,
/// the user's profile and top tracks, and the player. Retries on 429/5xx and the circuit breaker sit in
/// the HttpClient's resilience handler (<see cref="SpotifyServiceCollectionExtensions"/>); this class
/// adds the per-user login (refresh once on 401) and turns failures into <see cref="MusicProviderException"/>s.
/// </summary>
public sealed partial class SpotifyApiClient(
    HttpClient httpClient, SpotifyTokenManager tokens, IOptions<SpotifyOptions> options, ILogger<SpotifyApiClient> logger)
{
    private readonly HttpClient _httpClient = httpClient;
    private readonly SpotifyTokenManager _tokens = tokens;
    private readonly SpotifyOptions _options = options.Value;
    private readonly ILogger<SpotifyApiClient> _logger = logger;

    public async Task<IReadOnlyList<ProviderTrack>> SearchTracksAsync(string userId, string query, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        limit = Math.Clamp(limit, 1, _options.SearchLimit);
        var url = $"search?q={Uri.EscapeDataString(query)}&type=track&limit={limit.ToString(CultureInfo.InvariantCulture)}{MarketParameter('&')}";
        var body = await GetJsonAsync(userId, url, SpotifyJsonContext.Default.SpotifySearchResponse, cancellationToken);
        return MapTracks(body?.Tracks?.Items);
    }

    public async Task<ProviderTrack?> GetTrackAsync(string userId, string trackId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(trackId);
        try
        {
            var dto = await GetJsonAsync(userId, $"tracks/{Uri.EscapeDataString(trackId)}{MarketParameter('?')}",
                SpotifyJsonContext.Default.SpotifyTrackDto, cancellationToken);
            return dto is null ? null : Map(dto);
        }
        catch (MusicProviderException e) when (e.GetType() == typeof(MusicProviderException) && e.StatusCode is 404 or 400)
        {
            // 400 is Spotify's answer to a malformed id; for a caller both mean "no such track".
            return null;
        }
    }

    public async Task<SpotifyUserProfile> GetCurrentUserAsync(string userId, CancellationToken cancellationToken)
    {
        var dto = await GetJsonAsync(userId, "me", SpotifyJsonContext.Default.SpotifyUserDto, cancellationToken)
            ?? throw new MusicProviderUnavailableException("Spotify sent no profile.");
        return new SpotifyUserProfile(dto.Id ?? "", dto.DisplayName, dto.Country, dto.Product);
    }

    /// <param name="timeRange">short_term (about 4 weeks), medium_term (6 months) or long_term (a year).</param>
    public async Task<IReadOnlyList<ProviderTrack>> GetTopTracksAsync(string userId, string timeRange, int limit, CancellationToken cancellationToken)
    {
        if (timeRange is not ("short_term" or "medium_term" or "long_term"))
        {
            throw new ArgumentOutOfRangeException(nameof(timeRange), timeRange, "Use short_term, medium_term or long_term.");
        }

        limit = Math.Clamp(limit, 1, 50);
        var body = await GetJsonAsync(userId, $"me/top/tracks?time_range={timeRange}&limit={limit.ToString(CultureInfo.InvariantCulture)}",
            SpotifyJsonContext.Default.SpotifyPagingDtoSpotifyTrackDto, cancellationToken);
        return MapTracks(body?.Items);
    }

    public async Task<DevicePlayback?> GetPlaybackStateAsync(string userId, CancellationToken cancellationToken)
    {
        var dto = await GetJsonAsync(userId, "me/player", SpotifyJsonContext.Default.SpotifyPlaybackDto, cancellationToken, playerCall: true);
        if (dto is null)
        {
            return null;
        }

        var track = dto.Item is { } item && item.Type is null or "track" ? Map(item) : null;
        return new DevicePlayback(dto.Device is null ? null : Map(dto.Device), dto.IsPlaying ?? false, dto.ProgressMs, track);
    }

    public async Task<IReadOnlyList<PlaybackDevice>> GetDevicesAsync(string userId, CancellationToken cancellationToken)
    {
        var body = await GetJsonAsync(userId, "me/player/devices", SpotifyJsonContext.Default.SpotifyDevicesResponse, cancellationToken, playerCall: true);
        return body?.Devices?.Select(Map).ToArray() ?? [];
    }

    public Task PlayAsync(string userId, PlayRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegative(request.PositionMs);
        var body = new SpotifyPlayBody(request.TrackUris.Count == 0 ? null : request.TrackUris, request.PositionMs);
        return SendCommandAsync(userId, HttpMethod.Put, "me/player/play" + DeviceParameter('?', request.DeviceId),
            JsonContent.Create(body, SpotifyJsonContext.Default.SpotifyPlayBody), cancellationToken);
    }

    public Task PauseAsync(string userId, string? deviceId, CancellationToken cancellationToken) =>
        SendCommandAsync(userId, HttpMethod.Put, "me/player/pause" + DeviceParameter('?', deviceId), null, cancellationToken);

    public Task SeekAsync(string userId, int positionMs, string? deviceId, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(positionMs);
        return SendCommandAsync(userId, HttpMethod.Put,
            $"me/player/seek?position_ms={positionMs.ToString(CultureInfo.InvariantCulture)}{DeviceParameter('&', deviceId)}", null, cancellationToken);
    }

    public Task AddToQueueAsync(string userId, string trackUri, string? deviceId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(trackUri);
        return SendCommandAsync(userId, HttpMethod.Post,
            $"me/player/queue?uri={Uri.EscapeDataString(trackUri)}{DeviceParameter('&', deviceId)}", null, cancellationToken);
    }

    public Task TransferPlaybackAsync(string userId, string deviceId, bool play, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(deviceId);
        return SendCommandAsync(userId, HttpMethod.Put, "me/player",
            JsonContent.Create(new SpotifyTransferBody([deviceId], play), SpotifyJsonContext.Default.SpotifyTransferBody), cancellationToken);
    }

    private async Task<T?> GetJsonAsync<T>(string userId, string relativeUrl, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken, bool playerCall = false)
        where T : class
    {
        using var response = await SendAsync(userId, HttpMethod.Get, relativeUrl, null, playerCall, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0)
        {
            return null;
        }

        try
        {
            return await response.Content.ReadFromJsonAsync(typeInfo, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new MusicProviderUnavailableException("Spotify sent an answer we could not read.", e);
        }
    }

    private async Task SendCommandAsync(string userId, HttpMethod method, string relativeUrl, HttpContent? content, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(userId, method, relativeUrl, content, playerCall: true, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(
        string userId, HttpMethod method, string relativeUrl, HttpContent? content, bool playerCall, CancellationToken cancellationToken)
    {
        var body = content is null ? null : await content.ReadAsByteArrayAsync(cancellationToken);
        var contentType = content?.Headers.ContentType;
        content?.Dispose();

        var accessToken = await _tokens.GetAccessTokenAsync(userId, null, cancellationToken);
        var response = await SendOnceAsync(method, relativeUrl, body, contentType, accessToken, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            // The token expired early or was revoked server-side: refresh once and try again, never in a loop.
            response.Dispose();
            accessToken = await _tokens.GetAccessTokenAsync(userId, accessToken, cancellationToken);
            response = await SendOnceAsync(method, relativeUrl, body, contentType, accessToken, cancellationToken);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ToExceptionAsync(method, relativeUrl, response, playerCall, cancellationToken);
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(
        HttpMethod method, string relativeUrl, byte[]? body, MediaTypeHeaderValue? contentType, string accessToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(BaseUrl, relativeUrl));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = contentType;
        }
        else if (method != HttpMethod.Get)
        {
            // Spotify's player endpoints answer 411 to a body-less PUT/POST without Content-Length.
            request.Content = new ByteArrayContent([]);
        }

        try
        {
            return await _httpClient.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (BrokenCircuitException e)
        {
            throw new MusicProviderUnavailableException("Spotify is not answering properly right now, so we paused calls to it for a few seconds. Try again shortly.", e);
        }
        catch (TimeoutRejectedException e)
        {
            throw new MusicProviderUnavailableException("Spotify took too long to answer. Try again in a moment.", e);
        }
        catch (HttpRequestException e)
        {
            throw new MusicProviderUnavailableException("Spotify cannot be reached right now. Check the connection and try again.", e);
        }
    }

    private async Task<MusicProviderException> ToExceptionAsync(
        HttpMethod method, string relativeUrl, HttpResponseMessage response, bool playerCall, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var error = await ReadErrorAsync(response, cancellationToken);
        var path = relativeUrl.Split('?', 2)[0];
        LogFailure(_logger, method.Method, path, status, error?.Reason, error?.Message);

        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new MusicAccountNotLinkedException(
                "Spotify no longer accepts your login. Please connect Spotify again.") { StatusCode = status },
            HttpStatusCode.Forbidden when IsPremiumRequired(error, playerCall) => new PremiumRequiredException(
                "Playing music through Spotify needs a Spotify Premium account. You can still use MoodGrains' own catalogue.") { StatusCode = status },
            HttpStatusCode.Forbidden => new MusicAccessDeniedException(
                "Spotify refused this request for your account. If this app is in development mode, ask the host to add your Spotify account to its user list.")
            { StatusCode = status },
            HttpStatusCode.NotFound when playerCall => new NoActiveDeviceException(
                "No active Spotify device found. Open Spotify on your phone, computer or speaker, play anything for a second, then try again.")
            { StatusCode = status },
            HttpStatusCode.TooManyRequests => new MusicRateLimitedException(
                "Spotify is asking us to slow down. Please try again in a little while.", RetryAfter(response)) { StatusCode = status },
            >= HttpStatusCode.InternalServerError => new MusicProviderUnavailableException(
                "Spotify is having trouble right now. Try again in a moment.") { StatusCode = status },
            _ => new MusicProviderException($"Spotify could not do that ({status}{(error?.Message is { } m ? ": " + m : "")}).") { StatusCode = status },
        };
    }

    private static bool IsPremiumRequired(SpotifyErrorDetail? error, bool playerCall) =>
        string.Equals(error?.Reason, "PREMIUM_REQUIRED", StringComparison.OrdinalIgnoreCase)
        || (error?.Message?.Contains("premium", StringComparison.OrdinalIgnoreCase) ?? false)
        // Player commands answer 403 for free accounts even when the body lacks a reason.
        || (playerCall && error?.Reason is null);

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter?.Delta
        ?? (response.Headers.RetryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);

    private static async Task<SpotifyErrorDetail?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return string.IsNullOrWhiteSpace(text) ? null : JsonSerializer.Deserialize(text, SpotifyJsonContext.Default.SpotifyErrorResponse)?.Error;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private Uri BaseUrl => _options.ApiBaseUrl.AbsoluteUri.EndsWith('/') ? _options.ApiBaseUrl : new Uri(_options.ApiBaseUrl.AbsoluteUri + "/");

    private string MarketParameter(char separator) =>
        string.IsNullOrEmpty(_options.Market) ? "" : $"{separator}market={Uri.EscapeDataString(_options.Market)}";

    private static string DeviceParameter(char separator, string? deviceId) =>
        string.IsNullOrEmpty(deviceId) ? "" : $"{separator}device_id={Uri.EscapeDataString(deviceId)}";

    private static ProviderTrack[] MapTracks(IReadOnlyList<SpotifyTrackDto>? items) =>
        items?.Where(t => t is not null && !string.IsNullOrEmpty(t.Id)).Select(Map).ToArray() ?? [];

    private static ProviderTrack Map(SpotifyTrackDto dto) => new(
        dto.Id ?? "",
        dto.Uri ?? (dto.Id is null ? "" : "spotify:track:" + dto.Id),
        dto.Name ?? "",
        dto.Artists?.Select(a => a.Name).OfType<string>().ToArray() ?? [],
        dto.Album?.Name,
        dto.DurationMs ?? 0,
        dto.Popularity,
        dto.ExternalIds?.Isrc);

    private static PlaybackDevice Map(SpotifyDeviceDto dto) =>
        new(dto.Id, dto.Name ?? "", dto.Type ?? "", dto.IsActive ?? false, dto.IsRestricted ?? false, dto.VolumePercent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spotify {Method} {Path} answered {Status} (reason {Reason}: {SpotifyMessage})")]
    private static partial void LogFailure(ILogger logger, string method, string path, int status, string? reason, string? spotifyMessage);
}

/// <param name="Product">"premium", "free" or "open"; playback control needs premium.</param>
public sealed record SpotifyUserProfile(string Id, string? DisplayName, string? Country, string? Product)
{
    public bool IsPremium => string.Equals(Product, "premium", StringComparison.OrdinalIgnoreCase);
}
