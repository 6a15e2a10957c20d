using System.Diagnostics;
using MoodGrains.Abstractions.Mood;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Grains.Rooms;
using MoodGrains.Mood;
using MoodGrains.Recommendations.Hybrid;
using MoodGrains.Recommendations.Mood;
using MoodGrains.Recommendations.Serving;
using MoodGrains.Training.Recommendations;

namespace MoodGrains.Cli.MoodFollow;

/// <summary>How one way of filling the queue did over every simulated room.</summary>
internal sealed record ModeResult(
    double TracksToFollowP50,
    double TracksToFollowMean,
    double MeanDistance,
    double ReplansPerHour,
    double SteadyReplansPerHour,
    double MaxTargetStep,
    int Tracks,
    int Shifts);

/// <summary>Both modes for one kind of room.</summary>
internal sealed record ScenarioResult(ModeResult Baseline, ModeResult Live, double Hours);

/// <summary>
/// <see cref="Guests"/>: a fresh party of guests with no listening history (the recommender has mood fit and popularity
/// to go on). <see cref="Regulars"/>: members whose histories trained the recommender, so collaborative filtering
/// competes with mood fit for every pick.
/// </summary>
internal sealed record MoodFollowResult(ScenarioResult Guests, ScenarioResult Regulars, int Rooms, int CatalogTracks, double Seconds);

/// <summary>
/// Scripted rooms played twice on a simulated clock, same seed and same face readings: once as rooms worked before
/// (five recommendations at creation, topped up to five after each track, the mood never touching the queue) and once
/// just in time (<see cref="RoomPlanner"/> with the room grain's rules: first plan after the faces window, re-plans
/// on mood shifts beyond the band and on departures, the next track committed shortly before the current one ends).
/// Both ask the real <see cref="HybridRecommender"/> on a seeded synthetic catalogue through the same adapter as the
/// server's, so the only difference is when and what the room asks.
/// </summary>
internal static class MoodFollowSimulation
{
    /// <summary>A track "fits" a mood within this circumplex distance (a quarter of the -1..1 square's width).</summary>
    public const float FitRadius = 0.5f;

    private const double Tick = 2;
    private const double Settle = 30;
    private static readonly TimeSpan HalfLife = TimeSpan.FromSeconds(8);
    private static readonly DateTimeOffset Epoch = new(2026, 12, 1, 20, 0, 0, TimeSpan.Zero);

    public static MoodFollowResult Run(int seed, int rooms, int items, int users)
    {
        var watch = Stopwatch.StartNew();
        var (catalog, plays) = SyntheticCatalog.Create(items, users, playsPerUser: 40, seed);
        var snapshot = RecommenderSnapshot.Train(catalog, plays);
        var recommender = new HybridRecommender(snapshot);
        var guests = Enumerable.Range(0, 1000).Select(i => $"guest{i}").ToList();
        var regulars = Enumerable.Range(0, snapshot.Users).Select(snapshot.UserIdAt).ToList();
        var result = new MoodFollowResult(
            Scenario(guests, recommender, snapshot, seed, rooms), Scenario(regulars, recommender, snapshot, seed, rooms), rooms, snapshot.Tracks.Count, 0);
        return result with { Seconds = Math.Round(watch.Elapsed.TotalSeconds, 1) };
    }

    private static ScenarioResult Scenario(List<string> userIds, HybridRecommender recommender, RecommenderSnapshot snapshot, int seed, int rooms)
    {
        var baseline = new List<RoomOutcome>();
        var live = new List<RoomOutcome>();
        for (var r = 0; r < rooms; r++)
        {
            // Same script and same face readings for both modes of a room.
            var roomSeed = (seed * 1000) + r;
            var script = MoodFollowScript.Create(new Random(roomSeed), userIds);
            baseline.Add(new RoomRun(script, recommender, snapshot, live: false, roomSeed).Play());
            live.Add(new RoomRun(script, recommender, snapshot, live: true, roomSeed).Play());
        }

        return new ScenarioResult(Summarize(baseline), Summarize(live), Math.Round(live.Sum(o => o.Hours), 2));
    }

    private static ModeResult Summarize(List<RoomOutcome> outcomes)
    {
        var follow = outcomes.SelectMany(o => o.TracksToFollow).Order().ToList();
        var distances = outcomes.SelectMany(o => o.Distances).ToList();
        var hours = outcomes.Sum(o => o.Hours);
        var steadyHours = outcomes.Sum(o => o.SteadyHours);
        return new ModeResult(
            follow.Count > 0 ? follow[(follow.Count - 1) / 2] : double.NaN,
            follow.Count > 0 ? Math.Round(follow.Average(), 2) : double.NaN,
            Math.Round(distances.Average(), 3),
            Math.Round(outcomes.Sum(o => o.Replans) / hours, 1),
            Math.Round(outcomes.Sum(o => o.SteadyReplans) / steadyHours, 1),
            Math.Round(outcomes.Max(o => o.MaxTargetStep), 3),
            outcomes.Sum(o => o.Distances.Count),
            follow.Count);
    }

    private sealed record RoomOutcome(List<double> TracksToFollow, List<double> Distances, int Replans, int SteadyReplans, double Hours, double SteadyHours, double MaxTargetStep);

    /// <summary>One room, one mode: the members' faces, the group mood, the queue and the playhead on a simulated clock.</summary>
    private sealed class RoomRun(MoodFollowScript script, HybridRecommender recommender, RecommenderSnapshot snapshot, bool live, int seed)
    {
        private const int BaselineDepth = 5;
        private readonly RoomPlanOptions _options = new();
        private readonly Random _noise = new(seed);
        private readonly RoomState _room = new() { Created = true, HostUserId = script.Members[0] };
        private readonly Dictionary<string, SmoothedMood> _camera = [];
        private readonly Dictionary<string, MoodSnapshot> _manual = [];
        private readonly Dictionary<string, Emotion> _showing = [];
        private readonly Dictionary<string, double> _leftAt = [];
        private readonly Dictionary<string, MoodPoint> _targets = [];
        private readonly List<(double At, long TrackId, MoodPoint? Target)> _played = [];
        private readonly List<(double At, MoodPoint Point, float Confidence)> _moods = [];
        private readonly List<double> _replans = [];
        private GroupMood _mood = GroupMood.Empty;
        private double _now;

        private DateTimeOffset Now => Epoch.AddSeconds(_now);

        public RoomOutcome Play()
        {
            _room.Members = script.Members.Select(m => new RoomMember(m, m, Epoch)).ToList();
            _room.AwaitingFirstPlan = live;
            if (!live)
            {
                // As rooms were: five picks at creation, before any face was read.
                Refill();
            }

            var actions = new Queue<MemberAction>(script.Actions.OrderBy(a => a.At));
            for (_now = 0; _now <= script.End; _now += Tick)
            {
                while (actions.TryPeek(out var next) && next.At <= _now)
                {
                    Apply(actions.Dequeue());
                }

                Read();
                if (live)
                {
                    Follow();
                }

                if (_room.NowPlaying is null && !_room.AwaitingFirstPlan)
                {
                    Start();
                }
                else if (RoomPlayback.HasEnded(_room, Now))
                {
                    RoomPlayback.Advance(_room, Now);
                    if (live)
                    {
                        Plan(null);
                    }
                    else
                    {
                        Refill();
                    }

                    Started();
                }
            }

            return Outcome();
        }

        private void Start()
        {
            if (RoomPlayback.Play(_room, Now))
            {
                Started();
            }
        }

        private void Started()
        {
            if (_room.NowPlaying is { } np)
            {
                _played.Add((_now, np.Entry.Track.TrackId, np.Entry.Target ?? _targets.GetValueOrDefault(np.Entry.EntryId)));
            }
        }

        private void Apply(MemberAction action)
        {
            if (action.Leaves)
            {
                _showing.Remove(action.UserId);
                _leftAt[action.UserId] = _now;
            }
            else if (action.Manual is { } manual)
            {
                _showing.Remove(action.UserId);
                if (live)
                {
                    _manual[action.UserId] = MoodSnapshot.Picked(manual, 0.8f, Now);
                }
                else
                {
                    // As it was: a hand-picked mood was one reading that faded like any other.
                    _camera[action.UserId] = CameraOf(action.UserId).Add(OneHot(manual), 1f, Now, HalfLife);
                }
            }
            else if (action.Camera is { } camera)
            {
                _manual.Remove(action.UserId);
                _showing[action.UserId] = camera;
            }
        }

        /// <summary>One frame per member with the camera on: mostly the scripted emotion, with noise and the odd missed face.</summary>
        private void Read()
        {
            foreach (var (userId, emotion) in _showing)
            {
                if (_noise.NextDouble() < 0.1)
                {
                    continue;
                }

                var probabilities = new float[Emotions.Count];
                for (var i = 0; i < probabilities.Length; i++)
                {
                    probabilities[i] = (float)_noise.NextDouble() * 0.4f / Emotions.Count;
                }

                probabilities[(int)emotion] += 1f - probabilities.Sum();
                _camera[userId] = CameraOf(userId).Add(new EmotionScores(probabilities), 0.6f + ((float)_noise.NextDouble() * 0.4f), Now, HalfLife);
            }

            if (live)
            {
                foreach (var (userId, leftAt) in _leftAt)
                {
                    if (_now - leftAt >= _options.PresenceGrace.TotalSeconds && _room.IsPresent(userId))
                    {
                        _room.Away.Add(userId);
                        Reaggregate();
                        Plan($"{userId} is away");
                    }
                }
            }

            Reaggregate();
            _moods.Add((_now, _mood.Point, _mood.Confidence));
        }

        /// <summary>The room grain's just-in-time rules: first plan after the faces window, re-plans on shifts, commit before the end.</summary>
        private void Follow()
        {
            if (_room.AwaitingFirstPlan)
            {
                if (_now >= _options.FirstTrackWindow.TotalSeconds || _manual.Count > 0)
                {
                    _room.AwaitingFirstPlan = false;
                    Plan(null);
                }

                return;
            }

            if (RoomPlanner.MoodShift(_room, _mood, _options) is { } change)
            {
                Plan(change);
            }

            if (RoomPlanner.CommitAtServerMs(_room, _options) is { } commitAt && Now.ToUnixTimeMilliseconds() >= commitAt)
            {
                RoomPlanner.CommitNext(_room);
            }
        }

        private void Reaggregate()
        {
            var moods = new Dictionary<string, MoodSnapshot>();
            foreach (var member in _room.Members.Where(m => _room.IsPresent(m.UserId)))
            {
                moods[member.UserId] = _manual.TryGetValue(member.UserId, out var manual) ? manual : MoodSnapshot.From(CameraOf(member.UserId), Now, HalfLife);
            }

            _mood = GroupMoodAggregator.Aggregate(moods, Now, HalfLife);
        }

        private void Plan(string? change)
        {
            var request = RoomPlanner.Request(_room, "BENCH1", _mood, Members(), _options.PlanDepth);
            var plannedFor = _mood.Confidence >= _options.MinConfidence ? _mood.Point : (MoodPoint?)null;
            RoomPlanner.Apply(_room, request, Recommend(request), plannedFor, change, Now);
            if (change is not null)
            {
                _replans.Add(_now);
            }
        }

        /// <summary>The old refill: top up to five, one iso step per refill from where the last refill aimed.</summary>
        private void Refill()
        {
            var missing = BaselineDepth - _room.Queue.Count;
            if (missing <= 0)
            {
                return;
            }

            var request = RoomPlanner.Request(_room, "BENCH1", _mood, Members(), missing);
            var picks = Recommend(request);
            _room.MoodTarget = picks.Target;
            foreach (var pick in picks.Tracks.Where(p => !request.RecentTrackIds.Contains(p.Track.TrackId)).Take(missing))
            {
                var entry = RoomQueue.NewEntry(_room, pick.Track, pick.Reason, null, "MoodGrains", Now);
                _targets[entry.EntryId] = picks.Target;
                _room.Queue.Add(entry);
            }
        }

        private List<MemberMood> Members() =>
            _room.Members.Where(m => _room.IsPresent(m.UserId))
                .Select(m => new MemberMood(m.UserId, _mood.Members.FirstOrDefault(x => x.UserId == m.UserId)?.Mood ?? MoodSnapshot.From(SmoothedMood.Empty, Now, HalfLife), 1f))
                .ToList();

        /// <summary>The server's <c>HybridRoomRecommender</c> without the database: the iso step, then the recommender's picks.</summary>
        private RoomRecommendation Recommend(RoomRecommendationRequest request)
        {
            var target = MoodTrajectory.StepFrom(MoodTargetPolicy.Match, request.PreviousTarget, request.Mood.Point, request.Mood.Confidence);
            var listeners = request.Members.Select(m => new Listener(m.UserId, 1f, m.Mood.Confidence)).ToList();
            var picks = recommender.Recommend(new RecommendationRequest(listeners, target, request.Count) { RecentlyPlayed = request.RecentTrackIds.ToHashSet() });
            return new RoomRecommendation(picks.Select(p => new RecommendedTrack(Info(p.TrackId), p.Reason)).ToList(), target);
        }

        private static TrackInfo Info(long trackId) =>
            new(trackId, $"Track {trackId}", [$"artist {trackId}"], 150_000 + (int)(trackId * 7919 % 90) * 1000, null, null);

        private SmoothedMood CameraOf(string userId) => _camera.GetValueOrDefault(userId) ?? SmoothedMood.Empty;

        private static EmotionScores OneHot(Emotion emotion)
        {
            var probabilities = new float[Emotions.Count];
            probabilities[(int)emotion] = 1f;
            return new EmotionScores(probabilities);
        }

        private (MoodPoint Point, float Confidence) MoodAt(double at) => _moods.Last(m => m.At <= at) is var m ? (m.Point, m.Confidence) : default;

        private RoomOutcome Outcome()
        {
            var distances = new List<double>();
            foreach (var (at, trackId, _) in _played)
            {
                var (point, confidence) = MoodAt(at);
                if (confidence >= _options.MinConfidence && snapshot.MoodOf(trackId) is { } trackMood)
                {
                    distances.Add(trackMood.DistanceTo(point));
                }
            }

            // Tracks that started after a shift and missed the new mood (as it stood once the faces settled) before one fit it.
            var follow = new List<double>();
            for (var s = 0; s < script.Shifts.Count; s++)
            {
                var shift = script.Shifts[s];
                var until = s + 1 < script.Shifts.Count ? script.Shifts[s + 1] : script.End;
                var settled = MoodAt(shift + Settle).Point;
                var missed = 0;
                foreach (var (at, trackId, _) in _played.Where(p => p.At > shift && p.At < until))
                {
                    if (snapshot.MoodOf(trackId) is { } trackMood && trackMood.DistanceTo(settled) <= FitRadius)
                    {
                        break;
                    }

                    missed++;
                }

                follow.Add(missed);
            }

            var targets = _played.Select(p => p.Target).OfType<MoodPoint>().ToList();
            var maxStep = targets.Zip(targets.Skip(1), (a, b) => (double)a.DistanceTo(b)).DefaultIfEmpty(0).Max();
            var busy = script.Events.Select(e => (From: e, To: e + _options.PresenceGrace.TotalSeconds + Settle)).ToList();
            bool Steady(double t) => !busy.Any(b => t >= b.From && t <= b.To) && t > _options.FirstTrackWindow.TotalSeconds + Settle;
            var steadySeconds = Enumerable.Range(0, (int)(script.End / Tick)).Count(i => Steady(i * Tick)) * Tick;
            return new RoomOutcome(follow, distances, _replans.Count, _replans.Count(Steady), script.End / 3600, steadySeconds / 3600, maxStep);
        }
    }
}
