using MoodGrains.Abstractions.Rooms;
using MoodGrains.Grains.Rooms;
using MoodGrains.Mood;

namespace MoodGrains.Grains.Tests.Cluster;

/// <summary>
/// What a guest could do to a room and may not: come back after the host removed them, add up skip votes by joining
/// and leaving, flood the queue. On the shared cluster with the default <see cref="RoomLimitOptions"/>.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RoomAbuseTests(ClusterFixture cluster)
{
    private static readonly RoomLimitOptions Limits = new();

    [Fact]
    public async Task A_removed_member_cannot_join_again_even_after_the_room_left_memory_and_the_room_shows_the_removal()
    {
        var (code, host, guest, other) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId());
        var room = cluster.Room(code);
        await room.CreateAsync(host, "Ann", isSolo: false);
        await room.JoinAsync(guest, "Bob");

        var removed = await room.RemoveMemberAsync(host, guest);
        Assert.Equal([(guest, "Bob")], removed.Removed.Select(m => (m.UserId, m.DisplayName)));
        var refused = await Assert.ThrowsAsync<RoomException>(() => room.JoinAsync(guest, "Bob again"));
        Assert.Equal(RoomError.Banned, refused.Error);
        Assert.StartsWith("The host removed you from this room", refused.Message, StringComparison.Ordinal);

        // The ban is in the room's stored state: it holds once the room left memory and was read back.
        var management = cluster.Grains.GetGrain<IManagementGrain>(0);
        await management.ForceActivationCollection(TimeSpan.Zero);
        Assert.DoesNotContain(await management.GetDetailedGrainStatistics(), s => s.GrainId == GrainId.Create("room", code));
        var reloaded = await room.GetSnapshotAsync();
        Assert.Equal([guest], reloaded.Removed.Select(m => m.UserId));
        Assert.Equal(RoomError.Banned, (await Assert.ThrowsAsync<RoomException>(() => room.JoinAsync(guest, "Bob"))).Error);

        // Only that person: anyone else still joins.
        var joined = await room.JoinAsync(other, "Cy");
        Assert.Equal([host, other], joined.Members.Select(m => m.UserId));
    }

    [Fact]
    public async Task Joining_voting_and_leaving_over_and_over_never_skips_the_track_and_leavers_leave_the_blend()
    {
        var (code, host, bob, cy) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId());
        var room = cluster.Room(code);
        await room.CreateAsync(host, "Ann", isSolo: false);
        await room.JoinAsync(bob, "Bob");
        await room.JoinAsync(cy, "Cy");
        var first = (await room.PlayAsync(host)).NowPlaying!.Entry.EntryId;

        for (var i = 0; i < 5; i++)
        {
            var visitor = ClusterFixture.NewUserId();
            await room.JoinAsync(visitor, $"Visitor {i}");
            await room.SetManualMoodAsync(visitor, Emotion.Angry);
            var voted = await room.VoteSkipAsync(visitor);
            Assert.Equal([visitor], voted.NowPlaying!.SkipVoters);
            Assert.Contains(voted.Mood.Members, m => m.UserId == visitor);

            var left = await room.LeaveAsync(visitor);

            Assert.Equal(first, left.NowPlaying!.Entry.EntryId);
            Assert.Empty(left.NowPlaying.SkipVoters);
            Assert.DoesNotContain(left.Mood.Members, m => m.UserId == visitor);
        }

        Assert.Empty(cluster.Ports.Plays(code));
    }

    [Fact]
    public async Task A_voter_who_goes_away_no_longer_counts_toward_a_skip()
    {
        var (code, host, bob, cy) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId());
        var room = cluster.Room(code);
        await room.CreateAsync(host, "Ann", isSolo: false);
        await room.JoinAsync(bob, "Bob");
        await room.JoinAsync(cy, "Cy");
        var first = (await room.PlayAsync(host)).NowPlaying!.Entry.EntryId;

        var visitor = ClusterFixture.NewUserId();
        await room.JoinAsync(visitor, "Visitor");
        await room.ConnectionsChangedAsync(visitor, "silo-a", 1);
        await room.VoteSkipAsync(visitor);
        await room.ConnectionsChangedAsync(visitor, "silo-a", 0);
        var away = await WaitForAsync(room, s => s.Away.Contains(visitor));
        Assert.Empty(away.NowPlaying!.SkipVoters);

        // Three present need two votes: the away visitor's old vote and a second visitor's would have been two.
        var second = ClusterFixture.NewUserId();
        await room.JoinAsync(second, "Second visitor");
        var voted = await room.VoteSkipAsync(second);
        Assert.Equal(first, voted.NowPlaying!.Entry.EntryId);
        Assert.Equal([second], voted.NowPlaying.SkipVoters);
    }

    [Fact]
    public async Task A_guest_queues_a_few_tracks_at_a_time_and_the_host_more_and_the_snapshot_stays_bounded()
    {
        var (code, host, guest) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId());
        var room = cluster.Room(code);
        await cluster.CreatePlannedAsync(code, host);
        await room.JoinAsync(guest, "Bob");
        var tracks = cluster.Ports.Tracks;

        for (var i = 0; i < Limits.MaxQueuedPerMember; i++)
        {
            await room.AddTrackAsync(guest, tracks[i].TrackId);
        }

        var full = await Assert.ThrowsAsync<RoomException>(() => room.AddTrackAsync(guest, tracks[^1].TrackId));
        Assert.Equal(RoomError.QueueFull, full.Error);
        Assert.Contains($"{Limits.MaxQueuedPerMember} tracks waiting", full.Message, StringComparison.Ordinal);

        // The host is held only by the room's total.
        var hosts = await room.AddTrackAsync(host, tracks[^1].TrackId);
        hosts = await room.AddTrackAsync(host, tracks[^2].TrackId);
        Assert.Equal(Limits.MaxQueuedPerMember + 2, hosts.Queue.Count(e => !e.IsPlanned));
        Assert.True(hosts.Queue.Count <= Limits.MaxQueue + ClusterFixture.PlanDepth);

        // Once one of the guest's tracks has played, they may add again.
        await room.PlayAsync(host);
        await room.SkipAsync(host);
        await room.AddTrackAsync(guest, tracks[^3].TrackId);
    }

    [Fact]
    public async Task Search_finds_tracks_for_members_only()
    {
        var (code, host, stranger) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId());
        await cluster.Room(code).CreateAsync(host, "Ann", isSolo: false);

        var found = await cluster.Search(code, host, "rain");

        Assert.Equal(Enumerable.Range(10, 10).Select(i => $"Rain song {i}"), found.Select(t => t.Title));
        Assert.Equal(RoomError.NotMember, (await Assert.ThrowsAsync<RoomException>(() => cluster.Search(code, stranger, "rain"))).Error);
        Assert.Equal(
            RoomError.RoomNotFound,
            (await Assert.ThrowsAsync<RoomException>(() => cluster.Search(ClusterFixture.NewRoomCode(), host, "rain"))).Error);
    }

    private static async Task<RoomSnapshot> WaitForAsync(IRoomGrain room, Func<RoomSnapshot, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        RoomSnapshot snapshot;
        while (!condition(snapshot = await room.GetSnapshotAsync()) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(condition(snapshot), "The room did not get there within 20 s.");
        return snapshot;
    }
}
