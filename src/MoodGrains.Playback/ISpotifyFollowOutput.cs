namespace MoodGrains.Playback;

/// <summary>Where <see cref="SpotifyFollower"/> reports back; the host wires it to the member's page and the room.</summary>
public interface ISpotifyFollowOutput
{
    /// <summary>Tells one member what their Spotify does for the room, or why it does not.</summary>
    Task NotifyAsync(string userId, SpotifyPlaybackNotice notice);

    /// <summary>The member took their Spotify back: the room stops counting them as a listener.</summary>
    Task StopFollowingAsync(string roomCode, string userId);
}
