using MoodGrains.Abstractions.Mood;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Mood;

namespace MoodGrains.Grains.Tests.Cluster;

/// <summary>
/// The room grain on the shared in-process cluster: lifecycle, membership, host controls, the queue, votes and the
/// group mood, with the ports in memory (these ran against separately started servers before).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RoomGrainTests(ClusterFixture cluster)
{
    private readonly InMemoryPorts _ports = cluster.Ports;

    [Fact]
    public async Task Host_creates_guest_joins_and_leaves_and_host_hands_over()
    {
        var (code, host, guest) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId());
        var room = cluster.Room(code);

        var created = await room.CreateAsync(host, "Ann", isSolo: false);
        Assert.Equal(host, created.HostUserId);
        Assert.Equal(code, (await cluster.User(host).GetProfileAsync()).CurrentRoom);

        var joined = await room.JoinAsync(guest, "Bob");
        Assert.Equal(["Ann", "Bob"], joined.Members.Select(m => m.DisplayName));
        Assert.Equal(code, (await cluster.User(guest).GetProfileAsync()).CurrentRoom);

        var transferred = await room.TransferHostAsync(host, guest);
        Assert.Equal(guest, transferred.HostUserId);

        var left = await room.LeaveAsync(guest);
        Assert.Equal(["Ann"], left.Members.Select(m => m.DisplayName));
        // The host left, so the longest-present member holds the room again.
        Assert.Equal(host, left.HostUserId);
        Assert.True(left.Version > joined.Version);
        Assert.Null((await cluster.User(guest).GetProfileAsync()).CurrentRoom);
        Assert.Equal(left.Version, _ports.Snapshots(code)[^1].Version);
    }

    [Fact]
    public async Task Rooms_and_their_members_are_recorded_in_the_directory()
    {
        var (code, host, guest) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId());
        await cluster.Room(code).CreateAsync(host, "Ann", isSolo: false);
        await cluster.Room(code).JoinAsync(guest, "Bob");

        Assert.Equal((host, false), _ports.Room(code));
        Assert.Equal("Ann", _ports.UserName(host));
        Assert.Equal("Bob", _ports.UserName(guest));
    }

    [Fact]
    public async Task Unknown_rooms_twice_joined_rooms_solo_sessions_and_bad_names_are_refused_and_change_nothing()
    {
        var (code, host, guest) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId());
        await AssertRefusedAsync(RoomError.RoomNotFound, () => cluster.Room(ClusterFixture.NewRoomCode()).JoinAsync(guest, "Bob"));
        var room = await cluster.Room(code).CreateAsync(host, "Ann", isSolo: false);

        await AssertRefusedAsync(RoomError.AlreadyMember, () => cluster.Room(code).JoinAsync(host, "Ann again"));
        await AssertRefusedAsync(RoomError.RoomExists, () => cluster.Room(code).CreateAsync(guest, "Bob", isSolo: false));
        await AssertRefusedAsync(RoomError.InvalidDisplayName, () => cluster.Room(code).JoinAsync(guest, new string('x', 200)));
        await AssertRefusedAsync(RoomError.InvalidDisplayName, () => cluster.Room(code).JoinAsync(guest, "   "));
        await AssertRefusedAsync(RoomError.NotMember, () => cluster.Room(code).LeaveAsync(guest));

        var after = await cluster.Room(code).GetSnapshotAsync();
        Assert.Single(after.Members);
        Assert.Equal(room.Version, after.Version);

        var solo = ClusterFixture.NewRoomCode();
        await cluster.Room(solo).CreateAsync(host, "Ann", isSolo: true);
        await AssertRefusedAsync(RoomError.RoomFull, () => cluster.Room(solo).JoinAsync(guest, "Bob"));
        Assert.Equal((host, true), _ports.Room(solo));
    }

    [Fact]
    public async Task Hosting_goes_only_to_members_and_only_the_host_hands_it_over()
    {
        var (code, host, guest) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId());
        await cluster.Room(code).CreateAsync(host, "Ann", isSolo: false);
        await cluster.Room(code).JoinAsync(guest, "Bob");

        await AssertRefusedAsync(RoomError.NotMember, () => cluster.Room(code).TransferHostAsync(host, "u-not-a-member"));
        await AssertRefusedAsync(RoomError.NotHost, () => cluster.Room(code).TransferHostAsync(guest, guest));
        Assert.Equal(host, (await cluster.Room(code).GetSnapshotAsync()).HostUserId);
    }

    [Fact]
    public async Task The_host_removes_a_member_who_is_told_and_leaves_the_room_but_cannot_remove_themselves()
    {
        var (code, host, guest) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId());
        await cluster.Room(code).CreateAsync(host, "Ann", isSolo: false);
        await cluster.Room(code).JoinAsync(guest, "Bob");
        await cluster.Room(code).SetSpotifyListeningAsync(guest, enabled: true, deviceId: "phone");

        await AssertRefusedAsync(RoomError.InvalidArgument, () => cluster.Room(code).RemoveMemberAsync(host, host));
        var after = await cluster.Room(code).RemoveMemberAsync(host, guest);

        Assert.Equal([host], after.Members.Select(m => m.UserId));
        Assert.Empty(after.SpotifyListeners);
        Assert.Equal([guest], _ports.Removed(code));
        Assert.Null((await cluster.User(guest).GetProfileAsync()).CurrentRoom);
        await AssertRefusedAsync(RoomError.NotMember, () => cluster.Room(code).RemoveMemberAsync(host, guest));
    }

    [Fact]
    public async Task Host_plays_and_skips_and_the_skip_is_logged_for_every_member()
    {
        var (code, host, guest) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId());
        await cluster.Room(code).CreateAsync(host, "Ann", isSolo: false);
        await cluster.Room(code).JoinAsync(guest, "Bob");

        // Play before the faces window closes: the room starts from what it has.
        var playing = await cluster.Room(code).PlayAsync(host);
        Assert.Equal(PlaybackState.Playing, playing.NowPlaying!.State);
        var first = playing.NowPlaying.Entry;
        Assert.Equal(first.EntryId, _ports.Targets(code)[^1].NowPlaying!.Entry.EntryId);

        var skipped = await cluster.Room(code).SkipAsync(host);
        Assert.NotEqual(first.EntryId, skipped.NowPlaying!.Entry.EntryId);
        Assert.Equal(ClusterFixture.PlanDepth, skipped.Queue.Count);

        var plays = _ports.Plays(code).Where(p => p.TrackId == first.Track.TrackId).OrderBy(p => p.UserId).ToList();
        Assert.Equal(new[] { host, guest }.Order(), plays.Select(p => p.UserId));
        Assert.All(plays, p => Assert.Equal(TrackOutcome.Skipped, p.Outcome));
    }

    [Fact]
    public async Task A_guest_cannot_use_host_controls_and_nothing_changes()
    {
        var (code, host, guest) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId());
        var room = cluster.Room(code);
        await cluster.CreatePlannedAsync(code, host);
        var before = await room.JoinAsync(guest, "Bob");
        var entry = before.Queue[0].EntryId;

        foreach (var attempt in new Func<Task<RoomSnapshot>>[]
        {
            () => room.PlayAsync(guest),
            () => room.PauseAsync(guest),
            () => room.SkipAsync(guest),
            () => room.SeekAsync(guest, 1_000),
            () => room.RemoveEntryAsync(guest, entry),
            () => room.MoveEntryAsync(guest, entry, 3),
            () => room.SetQueueLockedAsync(guest, true),
            () => room.SetGuestControlsAsync(guest, true),
            () => room.SetPolicyAsync(guest, MoodPolicy.Calm),
            () => room.RemoveMemberAsync(guest, host),
        })
        {
            await AssertRefusedAsync(RoomError.NotHost, attempt);
        }

        var after = await room.GetSnapshotAsync();
        Assert.Equal(before.Version, after.Version);
        Assert.Null(after.NowPlaying);
        Assert.Equal(before.Queue.Select(e => e.EntryId), after.Queue.Select(e => e.EntryId));
    }

    [Fact]
    public async Task Strangers_cannot_touch_a_room()
    {
        var (code, host, stranger) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId());
        var room = cluster.Room(code);
        await room.CreateAsync(host, "Ann", isSolo: false);

        await AssertRefusedAsync(RoomError.NotMember, () => room.VoteSkipAsync(stranger));
        await AssertRefusedAsync(RoomError.NotMember, () => room.RateAsync(stranger, true));
        await AssertRefusedAsync(RoomError.NotMember, () => room.AddTrackAsync(stranger, _ports.Tracks[0].TrackId));
        await AssertRefusedAsync(RoomError.NotMember, () => cluster.Search(code, stranger, "love"));
        await AssertRefusedAsync(RoomError.NotMember, () => room.SetSpotifyListeningAsync(stranger, true, null));
        await AssertRefusedAsync(RoomError.NotMember, () => room.PlayAsync(stranger));
    }

    [Fact]
    public async Task Guest_controls_let_guests_play_and_a_locked_queue_stops_their_additions()
    {
        var (code, host, guest) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId());
        var room = cluster.Room(code);
        await room.CreateAsync(host, "Ann", isSolo: false);
        await room.JoinAsync(guest, "Bob");

        await room.SetGuestControlsAsync(host, true);
        var played = await room.PlayAsync(guest);
        Assert.Equal(PlaybackState.Playing, played.NowPlaying!.State);

        var found = await cluster.Search(code, guest, "love");
        Assert.NotEmpty(found);
        var added = await room.AddTrackAsync(guest, found[0].TrackId);
        Assert.Equal("Bob", added.Queue[0].AddedBy);

        await room.SetQueueLockedAsync(host, true);
        var error = await AssertRefusedAsync(RoomError.NotHost, () => room.AddTrackAsync(guest, found[^1].TrackId));
        Assert.Contains("locked", error.Message, StringComparison.Ordinal);
        await AssertRefusedAsync(RoomError.InvalidArgument, () => cluster.Search(code, guest, " "));
        await AssertRefusedAsync(RoomError.InvalidArgument, () => room.AddTrackAsync(host, -1));
    }

    [Fact]
    public async Task Host_reorders_and_removes_queue_entries()
    {
        var (code, host) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId());
        var room = await cluster.CreatePlannedAsync(code, host);
        var ids = room.Queue.Select(e => e.EntryId).ToList();

        var moved = await cluster.Room(code).MoveEntryAsync(host, ids[2], 0);
        Assert.Equal(ids[2], moved.Queue[0].EntryId);
        Assert.True(moved.Queue[0].Pinned);

        var removed = await cluster.Room(code).RemoveEntryAsync(host, ids[2]);
        Assert.DoesNotContain(ids[2], removed.Queue.Select(e => e.EntryId));
        Assert.Equal(ClusterFixture.PlanDepth, removed.Queue.Count);
        await AssertRefusedAsync(RoomError.InvalidArgument, () => cluster.Room(code).RemoveEntryAsync(host, ids[2]));
    }

    [Fact]
    public async Task A_policy_change_keeps_what_people_added_and_repicks_the_rest()
    {
        var (code, host) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId());
        var room = cluster.Room(code);
        var created = await cluster.CreatePlannedAsync(code, host);
        var mine = _ports.Tracks[^1];
        await room.AddTrackAsync(host, mine.TrackId);

        var calm = await room.SetPolicyAsync(host, MoodPolicy.Calm);

        Assert.Equal(MoodPolicy.Calm, calm.Policy);
        Assert.Equal(mine.TrackId, calm.Queue[0].Track.TrackId);
        Assert.Equal(1 + ClusterFixture.PlanDepth, calm.Queue.Count);
        Assert.All(calm.Queue.Skip(1), e => Assert.Equal("the host chose to calm the room", e.Change));
        Assert.Empty(calm.Queue.Skip(1).Select(e => e.EntryId).Intersect(created.Queue.Select(e => e.EntryId)));
        Assert.Equal(calm.Queue.Count, calm.Queue.Select(e => e.Track.TrackId).Distinct().Count());
    }

    [Fact]
    public async Task A_recommender_outage_leaves_the_queue_short_and_the_next_change_refills_it()
    {
        var (code, host) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId());
        _ports.FailRecommendations(code, true);
        var created = await cluster.Room(code).CreateAsync(host, "Ann", isSolo: false);
        Assert.Empty(created.Queue);
        await AssertRefusedAsync(RoomError.InvalidArgument, () => cluster.Room(code).PlayAsync(host));

        _ports.FailRecommendations(code, false);
        var playing = await cluster.Room(code).PlayAsync(host);
        Assert.NotNull(playing.NowPlaying);
        Assert.Equal(ClusterFixture.PlanDepth, playing.Queue.Count);
    }

    [Fact]
    public async Task Skip_votes_scale_with_room_size()
    {
        var (code, host, bob, cy) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId());
        var room = cluster.Room(code);
        await room.CreateAsync(host, "Ann", isSolo: false);
        await room.JoinAsync(bob, "Bob");
        await room.JoinAsync(cy, "Cy");
        var first = (await room.PlayAsync(host)).NowPlaying!.Entry.EntryId;

        var oneVote = await room.VoteSkipAsync(bob);
        Assert.Equal(first, oneVote.NowPlaying!.Entry.EntryId);
        Assert.Equal(2, oneVote.NowPlaying.SkipVotesNeeded);
        Assert.Equal(first, (await room.VoteSkipAsync(bob)).NowPlaying!.Entry.EntryId);

        var twoVotes = await room.VoteSkipAsync(cy);
        Assert.NotEqual(first, twoVotes.NowPlaying!.Entry.EntryId);
        Assert.Empty(twoVotes.NowPlaying.SkipVoters);
    }

    [Fact]
    public async Task A_member_leaving_recounts_the_skip_votes_against_those_still_here()
    {
        var (code, host, bob, cy, dee) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId());
        var room = cluster.Room(code);
        await room.CreateAsync(host, "Ann", isSolo: false);
        await room.JoinAsync(bob, "Bob");
        await room.JoinAsync(cy, "Cy");
        await room.JoinAsync(dee, "Dee");
        var first = (await room.PlayAsync(host)).NowPlaying!.Entry.EntryId;
        await room.VoteSkipAsync(bob);
        var twoOfThree = (await room.VoteSkipAsync(cy)).NowPlaying!;
        Assert.Equal((first, 2, 3), (twoOfThree.Entry.EntryId, twoOfThree.SkipVoters.Count, twoOfThree.SkipVotesNeeded));

        // Dee, who did not vote, leaves: three are here and two of them voted, a majority: the track is skipped.
        var second = (await room.LeaveAsync(dee)).NowPlaying!;
        Assert.NotEqual(first, second.Entry.EntryId);
        Assert.Equal((0, 2), (second.SkipVoters.Count, second.SkipVotesNeeded));

        // On the next track Bob and Cy vote (two of two needed of three), then Cy leaves: her vote goes with her, and
        // Bob's alone is not two of the two still here.
        await room.VoteSkipAsync(bob);
        await room.LeaveAsync(cy);
        var afterCy = (await room.GetSnapshotAsync()).NowPlaying!;
        Assert.Equal((second.Entry.EntryId, 1, 2), (afterCy.Entry.EntryId, afterCy.SkipVoters.Count, afterCy.SkipVotesNeeded));
        var skipped = (await room.VoteSkipAsync(host)).NowPlaying!;
        Assert.NotEqual(second.Entry.EntryId, skipped.Entry.EntryId);
        Assert.Empty(skipped.SkipVoters);
    }

    [Fact]
    public async Task The_room_advances_by_itself_at_track_end_and_logs_a_completed_play()
    {
        var (code, host) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId());
        var room = cluster.Room(code);
        await room.CreateAsync(host, "Ann", isSolo: false);
        var playing = (await room.PlayAsync(host)).NowPlaying!;
        await room.RateAsync(host, true);
        await room.SeekAsync(host, playing.Entry.Track.DurationMs - 1500);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        RoomSnapshot now;
        while ((now = await room.GetSnapshotAsync()).NowPlaying?.Entry.EntryId == playing.Entry.EntryId && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.NotEqual(playing.Entry.EntryId, now.NowPlaying!.Entry.EntryId);
        Assert.Equal(PlaybackState.Playing, now.NowPlaying.State);
        var play = Assert.Single(_ports.Plays(code));
        Assert.Equal((playing.Entry.Track.TrackId, TrackOutcome.Liked), (play.TrackId, play.Outcome));
    }

    [Fact]
    public async Task An_emptied_room_pauses_and_members_moods_move_the_room_mood()
    {
        var (code, host, guest) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId());
        var room = cluster.Room(code);
        await room.CreateAsync(host, "Ann", isSolo: false);
        await room.JoinAsync(guest, "Bob");

        var happy = new float[Emotions.Count];
        happy[(int)Emotion.Happy] = 1f;
        await cluster.User(host).RecordReadingAsync(new MoodReading(new EmotionScores(happy), 1f, DateTimeOffset.UtcNow, MoodSource.Manual));

        var update = Assert.Single(_ports.Moods(code));
        Assert.Equal(Emotion.Happy, update.Mood.Dominant);
        Assert.True(update.Mood.Point.Valence > 0.5f);
        Assert.Contains(update.Mood.Members, m => m.UserId == host);
        Assert.Single((await room.GetSnapshotAsync()).Timeline);

        await room.PlayAsync(host);
        await room.LeaveAsync(host);
        var empty = await room.LeaveAsync(guest);
        Assert.Empty(empty.Members);
        Assert.Equal(PlaybackState.Paused, empty.NowPlaying!.State);
    }

    private static async Task<RoomException> AssertRefusedAsync<T>(RoomError expected, Func<Task<T>> attempt)
    {
        var error = await Assert.ThrowsAsync<RoomException>(attempt);
        Assert.Equal(expected, error.Error);
        return error;
    }
}
