using MoodGrains.Abstractions.Mood;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Grains.Rooms;
using MoodGrains.Mood;

namespace MoodGrains.Grains.Tests.Cluster;

/// <summary>
/// The room following its members live: the first track waits for faces, a hand-picked mood holds, re-plans leave
/// people's choices alone, and members whose pages are closed drop out (windows shortened by <see cref="ClusterFixture"/>).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RoomLiveTests(ClusterFixture cluster)
{
    private readonly InMemoryPorts _ports = cluster.Ports;

    [Fact]
    public async Task A_new_room_waits_for_faces_then_plans_from_the_readings()
    {
        var (code, host) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId());
        var created = await cluster.Room(code).CreateAsync(host, "Ann", isSolo: false);
        Assert.Empty(created.Queue);
        Assert.Equal(RoomPlanner.WaitingNote, created.PlanNote);

        await cluster.User(host).RecordReadingAsync(Reading(Emotion.Sad, MoodSource.Camera));
        // A camera reading inside the window does not plan yet: more faces may come.
        Assert.Empty((await cluster.Room(code).GetSnapshotAsync()).Queue);

        var planned = await WaitForAsync(code, s => s.Queue.Count > 0);
        Assert.Null(planned.PlanNote);
        Assert.Equal(ClusterFixture.PlanDepth, planned.Queue.Count);
        // The sad reading chose the picks (the in-memory recommender answers a sad room with rain songs).
        Assert.All(planned.Queue, e => Assert.StartsWith("Rain", e.Track.Title, StringComparison.Ordinal));
        Assert.All(planned.Queue, e => Assert.Equal("fits the Match mood", e.Reason));
    }

    [Fact]
    public async Task Without_any_reading_the_room_says_so_and_claims_no_mood()
    {
        var (code, host) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId());
        await cluster.Room(code).CreateAsync(host, "Ann", isSolo: true);

        var planned = await WaitForAsync(code, s => s.Queue.Count > 0);

        Assert.Equal(RoomPlanner.NoFacesNote, planned.PlanNote);
        Assert.All(planned.Queue, e => Assert.Equal(RoomPlanner.NoFacesNote, e.Reason));
        Assert.DoesNotContain(planned.Queue, e => e.Reason.Contains("fits", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Readings_during_a_recommender_outage_neither_write_nor_push_until_a_plan_is_made()
    {
        var (code, host) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId());
        var room = cluster.Room(code);
        var happy = await cluster.CreatePlannedAsync(code, host);
        _ports.FailRecommendations(code, true);
        var pushes = _ports.Snapshots(code).Count;

        // Every sad reading is a mood shift away from the happy plan, and every re-plan fails: the room stays as it was.
        for (var i = 0; i < 5; i++)
        {
            await room.UpdateMemberMoodAsync(host, MoodSnapshot.Picked(Emotion.Sad, 1f, DateTimeOffset.UtcNow));
        }

        var during = await room.GetSnapshotAsync();
        Assert.Equal(pushes, _ports.Snapshots(code).Count);
        Assert.Equal(happy.Version, during.Version);

        _ports.FailRecommendations(code, false);
        await room.UpdateMemberMoodAsync(host, MoodSnapshot.Picked(Emotion.Sad, 1f, DateTimeOffset.UtcNow));
        var after = await room.GetSnapshotAsync();
        Assert.Equal(pushes + 1, _ports.Snapshots(code).Count);
        Assert.Contains(after.Queue, e => e.Track.Title.StartsWith("Rain", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_hand_picked_mood_starts_the_first_plan_at_once()
    {
        var (code, host) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId());
        await cluster.Room(code).CreateAsync(host, "Ann", isSolo: false);

        await cluster.Room(code).SetManualMoodAsync(host, Emotion.Sad);

        var now = await cluster.Room(code).GetSnapshotAsync();
        Assert.Equal(ClusterFixture.PlanDepth, now.Queue.Count);
        Assert.Null(now.PlanNote);
        Assert.All(now.Queue, e => Assert.StartsWith("Rain", e.Track.Title, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_manual_mood_holds_is_marked_manual_can_be_repicked_and_cleared_and_a_camera_replaces_it()
    {
        var (code, host) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId());
        await cluster.CreatePlannedAsync(code, host);

        var first = await cluster.Room(code).SetManualMoodAsync(host, Emotion.Sad);
        var again = await cluster.Room(code).SetManualMoodAsync(host, Emotion.Sad);
        Assert.True(first.Manual);
        Assert.True(again.Manual);
        Assert.Equal(Emotion.Sad, again.Dominant);
        var member = Assert.Single((await cluster.Room(code).GetSnapshotAsync()).Mood.Members);
        Assert.True(member.Mood.Manual);
        Assert.True(member.Weight > 0.5f);
        await WaitAsync(() => cluster.User(host).GetMoodAsync(), m => m.Manual && m.Dominant == Emotion.Sad);

        await cluster.User(host).RecordReadingAsync(Reading(Emotion.Happy, MoodSource.Camera));
        var camera = Assert.Single((await cluster.Room(code).GetSnapshotAsync()).Mood.Members);
        Assert.False(camera.Mood.Manual);
        Assert.Equal(Emotion.Happy, camera.Mood.Dominant);
        Assert.False((await cluster.User(host).GetMoodAsync()).Manual);

        await cluster.Room(code).SetManualMoodAsync(host, Emotion.Angry);
        var cleared = await cluster.Room(code).SetManualMoodAsync(host, null);
        Assert.False(cleared.Manual);
        Assert.Equal(0f, Assert.Single((await cluster.Room(code).GetSnapshotAsync()).Mood.Members).Weight);
        await WaitAsync(() => cluster.User(host).GetMoodAsync(), m => !m.Manual);
    }

    [Fact]
    public async Task Bad_manual_moods_and_strangers_are_refused_with_their_error_code()
    {
        var (code, host, stranger) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId());
        var before = await cluster.CreatePlannedAsync(code, host);

        var outside = await Assert.ThrowsAsync<RoomException>(() => cluster.Room(code).SetManualMoodAsync(host, (Emotion)42));
        Assert.Equal(RoomError.InvalidArgument, outside.Error);
        Assert.Contains("happy", outside.Message, StringComparison.Ordinal);
        var notMember = await Assert.ThrowsAsync<RoomException>(() => cluster.Room(code).SetManualMoodAsync(stranger, Emotion.Happy));
        Assert.Equal(RoomError.NotMember, notMember.Error);
        Assert.Equal(before.Version, (await cluster.Room(code).GetSnapshotAsync()).Version);
    }

    [Fact]
    public async Task A_mood_shift_replans_with_a_note_and_never_moves_what_people_chose()
    {
        var (code, host, guest) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId());
        var room = cluster.Room(code);
        await cluster.CreatePlannedAsync(code, host);
        await room.JoinAsync(guest, "Bob");
        var added = await room.AddTrackAsync(guest, _ports.Tracks[^1].TrackId);
        var pinnedId = added.Queue[2].EntryId;
        var before = await room.MoveEntryAsync(host, pinnedId, 3);
        var chosen = before.Queue.Select((e, i) => (Entry: e, Index: i)).Where(x => !x.Entry.IsPlanned).ToList();
        Assert.Equal(2, chosen.Count);

        // Noise inside the band: the same happy mood again re-plans nothing.
        await room.SetManualMoodAsync(host, Emotion.Happy);
        Assert.Equal(before.Queue.Select(e => e.EntryId), (await room.GetSnapshotAsync()).Queue.Select(e => e.EntryId));

        await room.SetManualMoodAsync(host, Emotion.Sad);
        await room.SetManualMoodAsync(guest, Emotion.Sad);

        var after = await room.GetSnapshotAsync();
        foreach (var (entry, index) in chosen)
        {
            Assert.Equal(entry.EntryId, after.Queue[index].EntryId);
        }

        var planned = after.Queue.Where(e => e.IsPlanned).ToList();
        Assert.Equal(ClusterFixture.PlanDepth, planned.Count);
        Assert.All(planned, e => Assert.StartsWith("Rain", e.Track.Title, StringComparison.Ordinal));
        Assert.All(planned, e => Assert.Equal("the room turned sadder", e.Change));
    }

    [Fact]
    public async Task The_next_track_is_committed_shortly_before_the_current_one_ends_and_a_replan_keeps_it()
    {
        var (code, host) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId());
        var room = cluster.Room(code);
        await cluster.CreatePlannedAsync(code, host);
        var playing = (await room.PlayAsync(host)).NowPlaying!;
        await room.SeekAsync(host, playing.Entry.Track.DurationMs - 4_500);

        var committed = await WaitForAsync(code, s => s.CommittedEntryId is not null);
        Assert.Equal(committed.Queue[0].EntryId, committed.CommittedEntryId);

        await room.SetManualMoodAsync(host, Emotion.Sad);
        var replanned = await room.GetSnapshotAsync();
        Assert.Equal(committed.CommittedEntryId, replanned.Queue[0].EntryId);
        Assert.All(replanned.Queue.Skip(1), e => Assert.Equal("the room turned sadder", e.Change));
    }

    [Fact]
    public async Task A_member_with_no_page_open_goes_away_leaves_the_blend_and_the_log_and_comes_back_on_reconnect()
    {
        var (code, host, guest) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId());
        var room = cluster.Room(code);
        await cluster.CreatePlannedAsync(code, host);
        await room.JoinAsync(guest, "Bob");
        await room.SetManualMoodAsync(guest, Emotion.Sad);
        Assert.Equal(2, (await room.GetSnapshotAsync()).Mood.Members.Count);
        await room.ConnectionsChangedAsync(guest, "silo-a", 1);
        await room.ConnectionsChangedAsync(guest, "silo-b", 1);

        await room.ConnectionsChangedAsync(guest, "silo-a", 0);
        await Task.Delay(ClusterFixture.PresenceGrace * 1.5);
        Assert.Empty((await room.GetSnapshotAsync()).Away);

        await room.ConnectionsChangedAsync(guest, "silo-b", 0);
        var away = await WaitForAsync(code, s => s.Away.Count > 0);
        Assert.Equal([guest], away.Away);
        Assert.Equal([host], away.Mood.Members.Select(m => m.UserId));
        Assert.Equal(Emotion.Happy, away.Mood.Dominant);

        var playing = (await room.PlayAsync(host)).NowPlaying!;
        Assert.Equal(1, playing.SkipVotesNeeded);
        await room.SkipAsync(host);
        var plays = _ports.Plays(code).Where(p => p.TrackId == playing.Entry.Track.TrackId).ToList();
        Assert.Equal([host], plays.Select(p => p.UserId));

        await room.ConnectionsChangedAsync(guest, "silo-a", 1);
        var back = await room.GetSnapshotAsync();
        Assert.Empty(back.Away);
        Assert.Equal(2, back.Mood.Members.Count);
    }

    [Fact]
    public async Task A_room_with_nobody_present_pauses()
    {
        var (code, host) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId());
        var room = cluster.Room(code);
        await cluster.CreatePlannedAsync(code, host);
        await room.PlayAsync(host);

        await room.ConnectionsChangedAsync(host, "silo-a", 0);

        var paused = await WaitForAsync(code, s => s.Away.Count > 0);
        Assert.Equal(PlaybackState.Paused, paused.NowPlaying!.State);
    }

    private static MoodReading Reading(Emotion emotion, MoodSource source)
    {
        var probabilities = new float[Emotions.Count];
        probabilities[(int)emotion] = 1f;
        return new MoodReading(new EmotionScores(probabilities), 1f, DateTimeOffset.UtcNow, source);
    }

    private Task<RoomSnapshot> WaitForAsync(string code, Func<RoomSnapshot, bool> condition) =>
        WaitAsync(() => cluster.Room(code).GetSnapshotAsync(), condition);

    private static async Task<T> WaitAsync<T>(Func<Task<T>> read, Func<T, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        T value;
        while (!condition(value = await read()) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(condition(value), "The room did not get there within 20 s.");
        return value;
    }
}
