using MoodGrains.Abstractions.Mood;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Mood;
using Orleans.Core.Internal;

namespace MoodGrains.Grains.Tests.Cluster;

/// <summary>
/// Commands retried with their operation id take effect once; a write that fails takes no effect; a room that lost
/// its activation gets its group mood back from the members' user grains.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RoomRetryTests(ClusterFixture cluster)
{
    [Fact]
    public async Task An_AddTrack_repeated_with_its_operation_id_adds_once()
    {
        var (code, host) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId());
        var room = cluster.Room(code);
        var before = await room.CreateAsync(host, "Ann", isSolo: false);
        var track = cluster.Ports.Tracks[3].TrackId;

        var operation = OperationIds.NewId();
        var first = await WithOperationAsync(operation, () => room.AddTrackAsync(host, track));
        var repeat = await WithOperationAsync(operation, () => room.AddTrackAsync(host, track));

        Assert.Equal(before.Queue.Count + 1, first.Queue.Count);
        Assert.Equal(first.Queue.Count, repeat.Queue.Count);
        Assert.Equal(first.Version, repeat.Version);

        // A new request for the same track is a new command, and adds it again.
        var another = await WithOperationAsync(OperationIds.NewId(), () => room.AddTrackAsync(host, track));
        Assert.Equal(2, another.Queue.Count(e => e.Track.TrackId == track));
    }

    [Fact]
    public async Task A_VoteSkip_repeated_with_its_operation_id_skips_one_track()
    {
        var (code, host) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId());
        var room = cluster.Room(code);
        await room.CreateAsync(host, "Ann", isSolo: true);
        var first = (await room.PlayAsync(host)).NowPlaying!.Entry.EntryId;

        var operation = OperationIds.NewId();
        var skipped = await WithOperationAsync(operation, () => room.VoteSkipAsync(host));
        var second = skipped.NowPlaying!.Entry.EntryId;
        Assert.NotEqual(first, second);

        var repeat = await WithOperationAsync(operation, () => room.VoteSkipAsync(host));
        Assert.Equal(second, repeat.NowPlaying!.Entry.EntryId);
        Assert.Equal(second, (await room.GetSnapshotAsync()).NowPlaying!.Entry.EntryId);
        Assert.Single(cluster.Ports.Plays(code));
    }

    [Fact]
    public async Task A_retried_CreateRoom_answers_its_creator_and_makes_no_second_room()
    {
        var (code, host, other) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId());
        var room = cluster.Room(code);
        var operation = OperationIds.NewId();

        var created = await WithOperationAsync(operation, () => room.CreateAsync(host, "Ann", isSolo: false));
        var retried = await WithOperationAsync(operation, () => room.CreateAsync(host, "Ann", isSolo: false));

        Assert.Equal(created.Version, retried.Version);
        Assert.Equal(host, Assert.Single(retried.Members).UserId);
        // Anyone else asking for the code, with their own request, finds it taken.
        var taken = await Assert.ThrowsAsync<RoomException>(() => WithOperationAsync(OperationIds.NewId(), () => room.CreateAsync(other, "Bob", isSolo: false)));
        Assert.Equal(RoomError.RoomExists, taken.Error);
    }

    [Fact]
    public async Task A_Leave_repeated_with_its_operation_id_answers_instead_of_refusing()
    {
        var (code, host, guest) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId());
        var room = cluster.Room(code);
        await room.CreateAsync(host, "Ann", isSolo: false);
        await room.JoinAsync(guest, "Bob");

        var operation = OperationIds.NewId();
        var left = await WithOperationAsync(operation, () => room.LeaveAsync(guest));
        var repeat = await WithOperationAsync(operation, () => room.LeaveAsync(guest));

        Assert.Equal(left.Version, repeat.Version);
        Assert.DoesNotContain(repeat.Members, m => m.UserId == guest);
    }

    [Fact]
    public async Task A_room_change_whose_write_fails_does_not_take_effect()
    {
        var (code, host) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId());
        var room = cluster.Room(code);
        var before = await room.CreateAsync(host, "Ann", isSolo: false);
        var track = cluster.Ports.Tracks[5].TrackId;

        cluster.StorageFaults.FailNextWrite(GrainId.Create("room", code));
        await Assert.ThrowsAsync<StateNotSavedException>(() => room.AddTrackAsync(host, track));

        var after = await room.GetSnapshotAsync();
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Queue.Count, after.Queue.Count);

        var retried = await room.AddTrackAsync(host, track);
        Assert.Equal(1, retried.Queue.Count(e => e.Track.TrackId == track));
    }

    [Fact]
    public async Task A_room_change_whose_write_landed_but_lost_its_answer_takes_effect_once()
    {
        var (code, host) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId());
        var room = cluster.Room(code);
        var before = await room.CreateAsync(host, "Ann", isSolo: false);
        var track = cluster.Ports.Tracks[6].TrackId;

        cluster.StorageFaults.LoseNextWriteAnswer(GrainId.Create("room", code));
        var added = await room.AddTrackAsync(host, track);

        Assert.Equal(1, added.Queue.Count(e => e.Track.TrackId == track));
        Assert.True(added.Version > before.Version);
        Assert.Equal(1, (await room.GetSnapshotAsync()).Queue.Count(e => e.Track.TrackId == track));
    }

    [Fact]
    public async Task A_user_change_whose_write_fails_does_not_take_effect()
    {
        var user = cluster.User(ClusterFixture.NewUserId());
        await user.SetDisplayNameAsync("Ann");

        cluster.StorageFaults.FailNextWrite(user.GetGrainId());
        await Assert.ThrowsAsync<StateNotSavedException>(() => user.SetDisplayNameAsync("Bob"));

        Assert.Equal("Ann", (await user.GetProfileAsync()).DisplayName);
    }

    [Fact]
    public async Task The_group_mood_survives_the_room_losing_its_activation()
    {
        var (code, host, guest) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId());
        var room = cluster.Room(code);
        await room.CreateAsync(host, "Ann", isSolo: false);
        await room.JoinAsync(guest, "Bob");
        await cluster.User(host).RecordReadingAsync(Reading(Emotion.Happy));
        await cluster.User(guest).RecordReadingAsync(Reading(Emotion.Happy));
        var before = (await room.GetSnapshotAsync()).Mood;
        Assert.Equal(2, before.Members.Count(m => m.Weight > 0));

        // What a silo kill does to the room: its memory is gone and the next call activates it afresh.
        await room.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await Task.Delay(200);

        var after = (await room.GetSnapshotAsync()).Mood;
        Assert.Equal(2, after.Members.Count(m => m.Weight > 0));
        Assert.Equal(Emotion.Happy, after.Dominant);
        Assert.True(after.Confidence > 0, $"confidence {after.Confidence}");
    }

    private static MoodReading Reading(Emotion emotion)
    {
        var probabilities = new float[Emotions.Count];
        probabilities[(int)emotion] = 1f;
        return new MoodReading(new EmotionScores(probabilities), 1f, DateTimeOffset.UtcNow, MoodSource.Camera);
    }

    /// <summary>What <c>GrainCalls</c> does for each attempt of one client request.</summary>
    private static async Task<T> WithOperationAsync<T>(string operation, Func<Task<T>> call)
    {
        RequestContext.Set(OperationIds.RequestContextKey, operation);
        try
        {
            return await call();
        }
        finally
        {
            RequestContext.Remove(OperationIds.RequestContextKey);
        }
    }
}
