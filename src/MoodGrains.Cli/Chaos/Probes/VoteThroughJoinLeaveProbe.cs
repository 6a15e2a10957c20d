namespace MoodGrains.Cli.Chaos.Probes;

/// <summary>
/// Four honest members listen; one outsider after another joins, votes to skip and leaves. Each vote alone is short
/// of the majority; only votes that outlive their voters' membership could add up to a skip.
/// </summary>
internal sealed class VoteThroughJoinLeaveProbe : ChaosProbe
{
    private const int Honest = 4;
    private const int Drifters = 4;

    public override string Name => "vote through join/leave";

    public override string Expected => $"{Drifters} join-vote-leave cycles against {Honest} present members: the track is not skipped";

    public override async Task<ProbeOutcome> RunAsync(ChaosCluster cluster, CancellationToken cancellationToken)
    {
        var members = new List<ChaosGuest>();
        try
        {
            var host = await cluster.MemberAsync(cluster.A, cancellationToken);
            members.Add(host);
            var code = (await host.CreateRoomAsync("Host", cancellationToken)).Code;
            cluster.Ledger.ExpectSkips(code);
            for (var i = 1; i < Honest; i++)
            {
                var member = await cluster.MemberAsync(i % 2 == 0 ? cluster.A : cluster.B, cancellationToken);
                members.Add(member);
                await member.JoinAsync(code, $"Listener {i}", cancellationToken);
            }

            // Three chosen tracks, so there is always a next one to skip to.
            foreach (var track in cluster.TrackIds.Take(3))
            {
                await host.RoomAsync("AddTrack", cancellationToken, code, track);
                cluster.Ledger.TrackAdded(code, track, host.UserId, accepted: true);
            }

            var playing = (await host.RoomAsync("Play", cancellationToken, code)).NowPlaying?.EntryId
                ?? throw new InvalidOperationException("Play left nothing playing.");

            var changes = 0;
            var current = playing;
            var notes = new List<string>();
            for (var i = 0; i < Drifters; i++)
            {
                await using var drifter = await cluster.MemberAsync(i % 2 == 0 ? cluster.B : cluster.A, cancellationToken);
                await drifter.JoinAsync(code, $"Drifter {i}", cancellationToken);
                var (voted, error, _) = await ChaosGuest.TimedAsync(() => drifter.RoomAsync("VoteSkip", cancellationToken, code));
                if (error is not null)
                {
                    notes.Add(error);
                }

                if (voted?.NowPlaying?.EntryId is { } after && after != current)
                {
                    changes++;
                    current = after;
                }

                await drifter.RoomAsync("LeaveRoom", cancellationToken, code);
            }

            var final = await host.ReadRoomAsync(code, cancellationToken);
            if (final.NowPlaying?.EntryId is { } last && last != current)
            {
                changes++;
            }

            cluster.Ledger.Skipped(code, changes);
            return new ProbeOutcome(
                (changes == 0 ? "track kept" : $"track skipped {changes} time(s) by votes of members who had left") +
                (notes.Count > 0 ? $"; votes refused: {notes[0]}" : string.Empty),
                changes == 0);
        }
        finally
        {
            foreach (var member in members)
            {
                await member.DisposeAsync();
            }
        }
    }
}
