using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Hosting.Local;
using Npgsql;

namespace MoodGrains.Server.Tests;

/// <summary>The room's queue, playback, controls and votes, through real hub clients on a real silo and PostgreSQL.</summary>
[Collection(ServersCollection.Name)]
public sealed class RoomPlaybackTests(ServersFixture servers) : IAsyncLifetime
{
    private SiloProcess _silo = null!;
    private string _database = null!;

    public async Task InitializeAsync()
    {
        _database = await servers.Postgres.CreateDatabaseAsync("playback");
        _silo = await SiloProcess.StartAsync(_database, clusterId: "playback");
    }

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task A_new_room_fills_its_queue_from_the_demo_catalogue_with_reasons()
    {
        await using var host = await RoomConnection.ConnectAsync(_silo);
        var room = await host.InvokeAsync("CreateRoom", "Ann", false);

        Assert.Equal(5, room.Queue.Count);
        Assert.All(room.Queue, e => Assert.False(string.IsNullOrWhiteSpace(e.Reason)));
        Assert.Equal(room.Queue.Count, room.Queue.Select(e => e.Track.TrackId).Distinct().Count());
    }

    [Fact]
    public async Task Host_plays_and_skips_and_the_skip_is_logged_for_every_member()
    {
        await using var host = await RoomConnection.ConnectAsync(_silo);
        await using var guest = await RoomConnection.ConnectAsync(_silo);
        var room = await host.InvokeAsync("CreateRoom", "Ann", false);
        await guest.InvokeAsync("JoinRoom", room.Code, "Bob");

        var playing = await host.InvokeAsync("Play", room.Code);
        Assert.Equal(PlaybackState.Playing, playing.NowPlaying!.State);
        var first = playing.NowPlaying.Entry;

        var skipped = await host.InvokeAsync("Skip", room.Code);
        Assert.NotEqual(first.EntryId, skipped.NowPlaying!.Entry.EntryId);
        Assert.Equal(5, skipped.Queue.Count);
        var seenByGuest = await guest.NextUpdateAsync(s => s.NowPlaying?.Entry.EntryId == skipped.NowPlaying.Entry.EntryId);
        Assert.Equal(skipped.NowPlaying.AnchorServerMs, seenByGuest.NowPlaying!.AnchorServerMs);

        var outcomes = await ListeningOutcomesAsync(room.Code, first.Track.TrackId);
        Assert.Equal(["skipped", "skipped"], outcomes);
    }

    [Fact]
    public async Task A_guest_cannot_use_host_controls_and_nothing_changes()
    {
        await using var host = await RoomConnection.ConnectAsync(_silo);
        await using var guest = await RoomConnection.ConnectAsync(_silo);
        var room = await host.InvokeAsync("CreateRoom", "Ann", false);
        room = await guest.InvokeAsync("JoinRoom", room.Code, "Bob");
        var entry = room.Queue[0].EntryId;

        foreach (var (method, args) in new (string, object?[])[]
        {
            ("Play", [room.Code]),
            ("Skip", [room.Code]),
            ("RemoveEntry", [room.Code, entry]),
            ("MoveEntry", [room.Code, entry, 3]),
            ("SetQueueLocked", [room.Code, true]),
            ("SetPolicy", [room.Code, MoodPolicy.Calm]),
            ("RemoveMember", [room.Code, host.Session.UserId]),
        })
        {
            var error = await Assert.ThrowsAsync<HubException>(() => guest.Hub.InvokeCoreAsync<RoomSnapshot>(method, args));
            Assert.Contains($"{RoomError.NotHost}:", error.Message, StringComparison.Ordinal);
        }

        var after = await host.InvokeAsync("ResumeRoom", room.Code);
        Assert.Equal(room.Version, after.Version);
        Assert.Null(after.NowPlaying);
        Assert.Equal(room.Queue.Select(e => e.EntryId), after.Queue.Select(e => e.EntryId));
    }

    [Fact]
    public async Task Guest_controls_let_guests_play_and_a_locked_queue_stops_their_additions()
    {
        await using var host = await RoomConnection.ConnectAsync(_silo);
        await using var guest = await RoomConnection.ConnectAsync(_silo);
        var room = await host.InvokeAsync("CreateRoom", "Ann", false);
        await guest.InvokeAsync("JoinRoom", room.Code, "Bob");

        await host.InvokeAsync("SetGuestControls", room.Code, true);
        var played = await guest.InvokeAsync("Play", room.Code);
        Assert.Equal(PlaybackState.Playing, played.NowPlaying!.State);

        var found = await guest.Hub.InvokeAsync<IReadOnlyList<TrackInfo>>("SearchTracks", room.Code, "love");
        Assert.NotEmpty(found);
        var added = await guest.InvokeAsync("AddTrack", room.Code, found[0].TrackId);
        Assert.Equal("Bob", added.Queue[0].AddedBy);

        await host.InvokeAsync("SetQueueLocked", room.Code, true);
        var error = await Assert.ThrowsAsync<HubException>(() => guest.InvokeAsync("AddTrack", room.Code, found[^1].TrackId));
        Assert.Contains("locked", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_reorders_and_removes_queue_entries()
    {
        await using var host = await RoomConnection.ConnectAsync(_silo);
        var room = await host.InvokeAsync("CreateRoom", "Ann", false);
        var ids = room.Queue.Select(e => e.EntryId).ToList();

        var moved = await host.InvokeAsync("MoveEntry", room.Code, ids[3], 0);
        Assert.Equal(ids[3], moved.Queue[0].EntryId);

        var removed = await host.InvokeAsync("RemoveEntry", room.Code, ids[3]);
        Assert.DoesNotContain(ids[3], removed.Queue.Select(e => e.EntryId));
        Assert.Equal(5, removed.Queue.Count);
    }

    [Fact]
    public async Task Skip_votes_scale_with_room_size()
    {
        await using var host = await RoomConnection.ConnectAsync(_silo);
        await using var bob = await RoomConnection.ConnectAsync(_silo);
        await using var cy = await RoomConnection.ConnectAsync(_silo);
        var room = await host.InvokeAsync("CreateRoom", "Ann", false);
        await bob.InvokeAsync("JoinRoom", room.Code, "Bob");
        await cy.InvokeAsync("JoinRoom", room.Code, "Cy");
        var first = (await host.InvokeAsync("Play", room.Code)).NowPlaying!.Entry.EntryId;

        var oneVote = await bob.InvokeAsync("VoteSkip", room.Code);
        Assert.Equal(first, oneVote.NowPlaying!.Entry.EntryId);
        Assert.Equal(2, oneVote.NowPlaying.SkipVotesNeeded);

        var twoVotes = await cy.InvokeAsync("VoteSkip", room.Code);
        Assert.NotEqual(first, twoVotes.NowPlaying!.Entry.EntryId);
        Assert.Empty(twoVotes.NowPlaying.SkipVoters);
    }

    [Fact]
    public async Task The_room_advances_by_itself_at_track_end_and_logs_a_completed_play()
    {
        await using var host = await RoomConnection.ConnectAsync(_silo);
        var room = await host.InvokeAsync("CreateRoom", "Ann", false);
        var playing = (await host.InvokeAsync("Play", room.Code)).NowPlaying!;
        await host.InvokeAsync("Rate", room.Code, true);
        await host.InvokeAsync("Seek", room.Code, playing.Entry.Track.DurationMs - 1500);

        var next = await host.NextUpdateAsync(s => s.NowPlaying is { } np && np.Entry.EntryId != playing.Entry.EntryId);
        Assert.Equal(PlaybackState.Playing, next.NowPlaying!.State);
        Assert.Equal(["liked"], await ListeningOutcomesAsync(room.Code, playing.Entry.Track.TrackId));
    }

    [Fact]
    public async Task Manual_moods_move_the_room_mood_and_every_member_hears_it()
    {
        await using var host = await RoomConnection.ConnectAsync(_silo);
        await using var guest = await RoomConnection.ConnectAsync(_silo);
        var room = await host.InvokeAsync("CreateRoom", "Ann", false);
        await guest.InvokeAsync("JoinRoom", room.Code, "Bob");

        await host.Hub.InvokeAsync<object>("SetManualMood", "happy");
        var update = await guest.NextMoodAsync(m => m.Mood.Members.Any(x => x.UserId == host.Session.UserId));
        Assert.Equal(Mood.Emotion.Happy, update.Mood.Dominant);
        Assert.True(update.Mood.Point.Valence > 0.5f);

        var error = await Assert.ThrowsAsync<HubException>(() => host.Hub.InvokeAsync<object>("SetManualMood", "ecstatic"));
        Assert.Contains(nameof(RoomError.InvalidArgument), error.Message, StringComparison.Ordinal);
    }

    private async Task<List<string>> ListeningOutcomesAsync(string roomCode, long trackId)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT outcome FROM listening_events WHERE room_code = $1 AND track_id = $2 ORDER BY user_id", connection);
        command.Parameters.AddWithValue(roomCode);
        command.Parameters.AddWithValue(trackId);
        var outcomes = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            outcomes.Add(reader.GetString(0));
        }

        return outcomes;
    }
}
