using System.Text.Json.Serialization;

namespace MoodGrains.Music.Spotify;

// Wire shapes of the Web API, only the fields we use. Everything is nullable because the API omits
// fields freely (local files, episodes in the player, region restrictions).

internal sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string? TokenType,
    [property: JsonPropertyName("scope")] string? Scope,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken);

internal sealed record SpotifyArtistDto(string? Id, string? Name);

internal sealed record SpotifyAlbumDto(string? Id, string? Name, string? ReleaseDate);

internal sealed record SpotifyExternalIdsDto(string? Isrc);

internal sealed record SpotifyTrackDto(
    string? Id,
    string? Uri,
    string? Name,
    string? Type,
    int? DurationMs,
    int? Popularity,
    bool? IsPlayable,
    SpotifyAlbumDto? Album,
    IReadOnlyList<SpotifyArtistDto>? Artists,
    SpotifyExternalIdsDto? ExternalIds);

internal sealed record SpotifyPagingDto<T>(IReadOnlyList<T>? Items, int? Total, int? Limit, int? Offset);

internal sealed record SpotifySearchResponse(SpotifyPagingDto<SpotifyTrackDto>? Tracks);

internal sealed record SpotifyUserDto(string? Id, string? DisplayName, string? Country, string? Product);

internal sealed record SpotifyDeviceDto(string? Id, string? Name, string? Type, bool? IsActive, bool? IsRestricted, int? VolumePercent);

internal sealed record SpotifyDevicesResponse(IReadOnlyList<SpotifyDeviceDto>? Devices);

internal sealed record SpotifyPlaybackDto(SpotifyDeviceDto? Device, bool? IsPlaying, int? ProgressMs, string? CurrentlyPlayingType, SpotifyTrackDto? Item);

internal sealed record SpotifyPlayBody(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Uris,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? PositionMs);

internal sealed record SpotifyTransferBody(IReadOnlyList<string> DeviceIds, bool Play);

internal sealed record SpotifyErrorDetail(int? Status, string? Message, string? Reason);

internal sealed record SpotifyErrorResponse(SpotifyErrorDetail? Error);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(SpotifyTokens))]
[JsonSerializable(typeof(SpotifyTrackDto))]
[JsonSerializable(typeof(SpotifySearchResponse))]
[JsonSerializable(typeof(SpotifyPagingDto<SpotifyTrackDto>))]
[JsonSerializable(typeof(SpotifyUserDto))]
[JsonSerializable(typeof(SpotifyDevicesResponse))]
[JsonSerializable(typeof(SpotifyPlaybackDto))]
[JsonSerializable(typeof(SpotifyPlayBody))]
[JsonSerializable(typeof(SpotifyTransferBody))]
[JsonSerializable(typeof(SpotifyErrorResponse))]
internal sealed partial class SpotifyJsonContext : JsonSerializerContext;
