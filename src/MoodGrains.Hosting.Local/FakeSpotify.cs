using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MoodGrains.Hosting.Local;

/// <summary>A player command the fake received: path, device, the body's uris (space-separated) and position.</summary>
public sealed record PlayerCall(string Account, string Command, string? DeviceId, string Uris, int? PositionMs);

/// <summary>
/// A stand-in for Spotify's accounts service and the Web API paths the room player uses, shaped after the Spotify
/// OpenAPI description (TrackObject, paging, device and error objects): we cannot reach Spotify from here.
/// Login codes name the account ("premium-…" or "free-…"); search finds any title and artist asked for, with an id
/// derived from them; the device "offline", and any device of an account switched off, answers like Spotify does when
/// no device is active; an account can also be put through an outage. A Web Playback SDK player in a page becomes a
/// device through <see cref="RegisterWebPlayer"/> (the tests' stand-in for the SDK calls it). Used by the tests and
/// by the chaos suite's private cluster.
/// </summary>
public sealed partial class FakeSpotify : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<PlayerCall> _calls = Channel.CreateUnbounded<PlayerCall>();
    private readonly ConcurrentDictionary<string, DeviceState> _devices = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Func<IResult>> _failing = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Account, string Name)> _webPlayers = new(StringComparer.Ordinal);
    private int _tokenExchanges;

    private FakeSpotify(WebApplication app, int port)
    {
        _app = app;
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri BaseUrl { get; }

    /// <summary>Login codes and refresh tokens exchanged for access tokens: a refused login must not reach Spotify at all.</summary>
    public int TokenExchanges => Volatile.Read(ref _tokenExchanges);

    /// <summary>Server settings that point MoodGrains at this fake.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["MOODGRAINS_SPOTIFY_CLIENT_ID"] = "fake-client",
        ["MoodGrains__Spotify__ApiBaseUrl"] = new Uri(BaseUrl, "v1/").ToString(),
        ["MoodGrains__Spotify__AccountsBaseUrl"] = BaseUrl.ToString(),
        ["MoodGrains__Spotify__RetryBaseDelay"] = "00:00:00.100",
    };

    public static string TrackIdFor(string title, string artist) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(title + "|" + artist)))[..22];

    public static async Task<FakeSpotify> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeSpotify(app, port);
        fake.Map(app);
        await app.StartAsync();
        return fake;
    }

    /// <summary>The next player command, waiting up to 30 s for it.</summary>
    public async Task<PlayerCall> NextCallAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _calls.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>Player commands received so far and not yet taken.</summary>
    public IReadOnlyList<PlayerCall> Drain()
    {
        var calls = new List<PlayerCall>();
        while (_calls.Reader.TryRead(out var call))
        {
            calls.Add(call);
        }

        return calls;
    }

    /// <summary>
    /// What Spotify does when a Web Playback SDK player connects with an access token: the page becomes a Connect
    /// device of that token's account, listed with its devices and playable by id. Returns the new device id.
    /// </summary>
    public string RegisterWebPlayer(string accessToken, string name)
    {
        var id = "web-" + Guid.NewGuid().ToString("N")[..16];
        _webPlayers[id] = (accessToken, name);
        return id;
    }

    /// <summary>A player's disconnect: the device leaves the account's list and can no longer be played on.</summary>
    public void UnregisterWebPlayer(string deviceId) => _webPlayers.TryRemove(deviceId, out _);

    /// <summary>Web Playback SDK devices connected now, as (device id, account, name).</summary>
    public IReadOnlyList<(string DeviceId, string Account, string Name)> WebPlayers =>
        _webPlayers.Select(p => (p.Key, p.Value.Account, p.Value.Name)).ToArray();

    /// <summary>Makes the account's device run ahead (positive) or behind the position it was started at.</summary>
    public void Drift(string account, int milliseconds) =>
        _devices.AddOrUpdate(account, _ => throw new InvalidOperationException($"{account} has played nothing."), (_, d) => d with { OffsetMs = d.OffsetMs + milliseconds });

    /// <summary>The person puts on their own music on the account's device.</summary>
    public void PlayOwnMusic(string account) =>
        _devices[account] = new DeviceState("spotify:track:" + TrackIdFor("Their Own Song", "Someone Else"), 0, System.Diagnostics.Stopwatch.GetTimestamp(), true, 0);

    /// <summary>The person closes their Spotify app: every player command for the account finds no active device.</summary>
    public void SwitchOff(string account) =>
        _failing[account] = () => Error(404, "Player command failed: No active device found", "NO_ACTIVE_DEVICE");

    /// <summary>Spotify has an outage: every player command for the account answers 503; the device plays on.</summary>
    public void GoDown(string account) => _failing[account] = () => Error(503, "Service unavailable", null);

    /// <summary>Ends <see cref="SwitchOff"/> or <see cref="GoDown"/>: the app is open again, Spotify is back.</summary>
    public void Restore(string account) => _failing.TryRemove(account, out _);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Map(WebApplication app)
    {
        app.MapPost("/api/token", async (HttpRequest request) =>
        {
            Interlocked.Increment(ref _tokenExchanges);
            var form = await request.ReadFormAsync();
            var code = form["grant_type"] == "refresh_token" ? form["refresh_token"].ToString() : form["code"].ToString();
            return Results.Json(new JsonObject
            {
                ["access_token"] = code,
                ["token_type"] = "Bearer",
                ["scope"] = "user-read-private user-modify-playback-state user-read-playback-state",
                ["expires_in"] = 3600,
                ["refresh_token"] = code,
            });
        });

        app.MapGet("/v1/me", (HttpRequest request) =>
        {
            var account = Account(request);
            return account is null ? Unauthorized() : Results.Json(new JsonObject
            {
                ["id"] = account,
                ["display_name"] = account,
                ["country"] = "SE",
                ["product"] = account.StartsWith("premium", StringComparison.Ordinal) ? "premium" : "free",
                ["type"] = "user",
                ["uri"] = "spotify:user:" + account,
            });
        });

        app.MapGet("/v1/search", (HttpRequest request) =>
        {
            var query = request.Query["q"].ToString();
            var match = FieldQuery().Match(query);
            var items = new JsonArray();
            if (match.Success)
            {
                items.Add(Track(match.Groups["title"].Value, match.Groups["artist"].Value));
            }

            return Results.Json(new JsonObject
            {
                ["tracks"] = new JsonObject
                {
                    ["href"] = "http://127.0.0.1/v1/search",
                    ["items"] = items,
                    ["limit"] = 5,
                    ["next"] = null,
                    ["offset"] = 0,
                    ["previous"] = null,
                    ["total"] = items.Count,
                },
            });
        });

        app.MapGet("/v1/me/player/devices", (HttpRequest request) =>
        {
            var devices = new JsonArray(Device("kitchen-speaker", "Kitchen", "Speaker", true));
            foreach (var (id, player) in _webPlayers.Where(p => p.Value.Account == Account(request)))
            {
                devices.Add(Device(id, player.Name, "Computer", false));
            }

            return Results.Json(new JsonObject { ["devices"] = devices });
        });

        // GET /me/player: the device plays on from where it was started, like a real one (204 when nothing ever played).
        app.MapGet("/v1/me/player", (HttpRequest request) =>
        {
            var account = Account(request);
            if (account is null)
            {
                return Unauthorized();
            }

            if (!_devices.TryGetValue(account, out var device))
            {
                return Results.NoContent();
            }

            var elapsed = device.IsPlaying ? (int)System.Diagnostics.Stopwatch.GetElapsedTime(device.StartedAt).TotalMilliseconds : 0;
            var id = device.Uri["spotify:track:".Length..];
            return Results.Json(new JsonObject
            {
                ["device"] = new JsonObject { ["id"] = "kitchen-speaker", ["is_active"] = true, ["is_restricted"] = false, ["name"] = "Kitchen", ["type"] = "Speaker", ["volume_percent"] = 60 },
                ["is_playing"] = device.IsPlaying,
                ["progress_ms"] = device.PositionMs + elapsed + device.OffsetMs,
                ["currently_playing_type"] = "track",
                ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                ["item"] = new JsonObject
                {
                    ["id"] = id,
                    ["name"] = "Track " + id,
                    ["uri"] = device.Uri,
                    ["duration_ms"] = 600_000,
                    ["type"] = "track",
                    ["artists"] = new JsonArray(new JsonObject { ["id"] = "artist", ["name"] = "Artist", ["type"] = "artist" }),
                },
            });
        });

        app.MapPut("/v1/me/player/{command}", async (string command, HttpRequest request) =>
        {
            var account = Account(request);
            if (account is null)
            {
                return Unauthorized();
            }

            var device = request.Query["device_id"].FirstOrDefault();
            if (_failing.TryGetValue(account, out var failure))
            {
                return failure();
            }

            if (device == "offline")
            {
                return Error(404, "Player command failed: No active device found", "NO_ACTIVE_DEVICE");
            }

            // A web player is the device of the account that connected it, and only while it is connected.
            if (device is not null && device.StartsWith("web-", StringComparison.Ordinal)
                && (!_webPlayers.TryGetValue(device, out var player) || player.Account != account))
            {
                return Error(404, "Device not found", null);
            }

            var uris = new List<string>();
            int? position = null;
            if (command == "play" && request.ContentLength > 0)
            {
                using var body = await JsonDocument.ParseAsync(request.Body);
                if (body.RootElement.TryGetProperty("uris", out var list))
                {
                    uris.AddRange(list.EnumerateArray().Select(u => u.GetString()!));
                }

                if (body.RootElement.TryGetProperty("position_ms", out var ms))
                {
                    position = ms.GetInt32();
                }
            }

            if (command == "play" && uris.Count > 0)
            {
                _devices[account] = new DeviceState(uris[0], position ?? 0, System.Diagnostics.Stopwatch.GetTimestamp(), true, 0);
            }
            else if (command == "pause" && _devices.TryGetValue(account, out var playing))
            {
                var at = playing.PositionMs + (playing.IsPlaying ? (int)System.Diagnostics.Stopwatch.GetElapsedTime(playing.StartedAt).TotalMilliseconds : 0);
                _devices[account] = playing with { PositionMs = at, IsPlaying = false };
            }

            _calls.Writer.TryWrite(new PlayerCall(account, command, device, string.Join(' ', uris), position));
            return Results.NoContent();
        });
    }

    private static string? Account(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : null;
    }

    private static JsonObject Track(string title, string artist)
    {
        var id = TrackIdFor(title, artist);
        return new JsonObject
        {
            ["id"] = id,
            ["name"] = title,
            ["uri"] = "spotify:track:" + id,
            ["duration_ms"] = 200_000,
            ["popularity"] = 50,
            ["explicit"] = false,
            ["type"] = "track",
            ["artists"] = new JsonArray(new JsonObject { ["id"] = "a" + id[..10], ["name"] = artist, ["type"] = "artist" }),
            ["album"] = new JsonObject { ["id"] = "b" + id[..10], ["name"] = title, ["release_date"] = "2000", ["album_type"] = "single" },
            ["external_ids"] = new JsonObject(),
        };
    }

    private static JsonObject Device(string id, string name, string type, bool active) => new()
    {
        ["id"] = id,
        ["is_active"] = active,
        ["is_private_session"] = false,
        ["is_restricted"] = false,
        ["name"] = name,
        ["type"] = type,
        ["volume_percent"] = 60,
        ["supports_volume"] = true,
    };

    private static IResult Unauthorized() => Error(401, "No token provided", null);

    private static IResult Error(int status, string message, string? reason)
    {
        var error = new JsonObject { ["status"] = status, ["message"] = message };
        if (reason is not null)
        {
            error["reason"] = reason;
        }

        return Results.Json(new JsonObject { ["error"] = error }, statusCode: status);
    }

    private sealed record DeviceState(string Uri, int PositionMs, long StartedAt, bool IsPlaying, int OffsetMs);

    [GeneratedRegex("track:\"(?<title>[^\"]*)\" artist:\"(?<artist>[^\"]*)\"", RegexOptions.CultureInvariant)]
    private static partial Regex FieldQuery();
}
