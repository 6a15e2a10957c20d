using Microsoft.Extensions.Options;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Grains.Rooms;
using MoodGrains.Music.Spotify;
using MoodGrains.Playback;
using MoodGrains.Server.Hubs;

namespace MoodGrains.Server.Rooms;

/// <summary>
/// Rooms' way out to their members' Spotify devices: hands each published target to the <see cref="SpotifyFollower"/>
/// (which decides and makes the calls) and carries its reports to the member's page and back to the room.
/// </summary>
public sealed class SpotifyRoomPlayer : BackgroundService, IRoomPlaybackOutput, ISpotifyFollowOutput
{
    private readonly IGrainFactory _grains;
    private readonly RoomBroadcaster _broadcaster;
    private readonly SpotifyFollower _follower;

    public SpotifyRoomPlayer(
        IServiceScopeFactory scopes,
        IGrainFactory grains,
        RoomBroadcaster broadcaster,
        IOptions<SpotifyOptions> options,
        TimeProvider clock,
        ILogger<SpotifyFollower> logger)
    {
        _grains = grains;
        _broadcaster = broadcaster;
        _follower = new SpotifyFollower(scopes, this, options, clock, logger);
    }

    public void Publish(RoomPlaybackTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var track = Follow(target.NowPlaying);
        _follower.Publish(target.RoomCode, [.. target.Listeners.Select(l => new ListenerTarget(target.RoomCode, l.UserId, l.DeviceId, track, l.Request))]);
    }

    public Task NotifyAsync(string userId, SpotifyPlaybackNotice notice) => _broadcaster.SpotifyPlaybackAsync(userId, notice);

    public Task StopFollowingAsync(string roomCode, string userId) =>
        _grains.GetGrain<IRoomGrain>(roomCode).SetSpotifyListeningAsync(userId, false, null);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _follower.RunAsync(stoppingToken);

    /// <summary>The part of the room's now-playing a device follows (votes and likes are the page's business).</summary>
    private static FollowedTrack? Follow(NowPlaying? nowPlaying) => nowPlaying is null ? null : new FollowedTrack(
        nowPlaying.Entry.EntryId,
        nowPlaying.Entry.Track.TrackId,
        nowPlaying.Entry.Track.Title,
        nowPlaying.Entry.Track.SpotifyUri,
        nowPlaying.Entry.Track.DurationMs,
        nowPlaying.State == PlaybackState.Playing,
        nowPlaying.AnchorServerMs,
        nowPlaying.AnchorPositionMs);
}
