using System.Buffers;
using System.Globalization;
using System.Numerics.Tensors;
using MoodGrains.Mood;
using MoodGrains.Recommendations.Mood;
using MoodGrains.Recommendations.Serving;

namespace MoodGrains.Recommendations.Hybrid;

/// <summary>
/// Top-k for one listener or a room from a <see cref="RecommenderSnapshot"/>: collaborative preference (mood-shifted
/// user vectors), mood fit, popularity; never a track in the freshness window nor one the room cannot hear
/// (<see cref="RecommendationRequest.Playable"/>); at most <see cref="HybridOptions.MaxPerArtist"/> per artist while the
/// candidates allow it; members combined by <see cref="GroupAggregation"/>.
/// Thread-safe: the snapshot is immutable and each call allocates its own buffers.
/// </summary>
public sealed class HybridRecommender
{
    private const float LikeThreshold = 0.3f;
    private readonly RecommenderSnapshot _snapshot;
    private readonly HybridOptions _options;

    public HybridRecommender(RecommenderSnapshot snapshot, HybridOptions? options = null)
    {
        _options = options ?? new HybridOptions();
        _options.Validate();
        _snapshot = snapshot;
    }

    public RecommenderSnapshot Snapshot => _snapshot;

    public IReadOnlyList<Recommendation> Recommend(RecommendationRequest request)
    {
        var items = _snapshot.Tracks.Count;
        var mood = MoodLabels.Nearest(request.Target);
        var members = BuildMembers(request, mood, _snapshot.Als.Factors);
        var totalWeight = members.Sum(m => m.Weight);
        var known = members.Where(m => m.Vector is not null).ToArray();
        var knownShare = totalWeight > 0 ? known.Sum(m => m.Weight) / totalWeight : 0;

        // Stage 1: one pass over the catalogue with the weighted mean member vector (exact for the Average rule,
        // a good short-list for the others), plus the mood and popularity terms, which are the same for everyone.
        // Pooled: two catalogue-sized buffers per request would otherwise be most of the garbage, and GC pauses are the tail latency.
        var fitBuffer = ArrayPool<float>.Shared.Rent(items);
        var coarseBuffer = ArrayPool<float>.Shared.Rent(items);
        try
        {
            return Recommend(request, mood, members, known, knownShare, fitBuffer.AsSpan(0, items), coarseBuffer.AsSpan(0, items), fitBuffer);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(fitBuffer);
            ArrayPool<float>.Shared.Return(coarseBuffer);
        }
    }

    private IReadOnlyList<Recommendation> Recommend(
        RecommendationRequest request, MoodLabel mood, Member[] members, Member[] known, float knownShare, Span<float> fit, Span<float> coarse, float[] fitArray)
    {
        var k = _snapshot.Als.Factors;
        MoodFit(request.Target, fit);
        coarse.Clear();
        if (known.Length > 0)
        {
            var group = new float[k];
            var knownWeight = known.Sum(m => m.Weight);
            foreach (var m in known)
            {
                TensorPrimitives.MultiplyAdd(m.Vector!, m.Weight / knownWeight, group, group);
            }

            _snapshot.Als.ScoreVector(group, coarse);
            TensorPrimitives.Multiply(coarse, _options.CollaborativeWeight * knownShare, coarse);
        }

        TensorPrimitives.MultiplyAdd(fit, _options.MoodWeight, coarse, coarse);
        TensorPrimitives.MultiplyAdd(_snapshot.Popularity, _options.PopularityWeight, coarse, coarse);
        foreach (var trackId in request.RecentlyPlayed)
        {
            if (_snapshot.TryGetTrack(trackId, out var excluded))
            {
                coarse[excluded] = float.NegativeInfinity;
            }
        }

        if (request.Playable is { } playable)
        {
            // Before the short-list, not after: a small library in a large catalogue would rarely reach the top few.
            for (var i = 0; i < coarse.Length; i++)
            {
                if (!playable.Allows(_snapshot.Tracks[i]))
                {
                    coarse[i] = float.NegativeInfinity;
                }
            }
        }

        var candidates = TopK.Select(coarse, Math.Max(_options.CandidatePool, request.Count * 4));
        if (candidates.Length == 0)
        {
            // Everything is recently played or unplayable here (a small library): nothing to offer, which is not an error.
            return [];
        }

        // Stage 2: exact per-member scores on the short-list.
        var perMember = new float[members.Length][];
        for (var m = 0; m < members.Length; m++)
        {
            perMember[m] = new float[candidates.Length];
            for (var c = 0; c < candidates.Length; c++)
            {
                var item = candidates[c];
                var cf = members[m].Vector is { } v ? TensorPrimitives.Dot(v, _snapshot.Als.ItemVector(item)) : 0f;
                perMember[m][c] = (_options.CollaborativeWeight * cf) + (_options.MoodWeight * fit[item]) + (_options.PopularityWeight * _snapshot.Popularity[item]);
            }
        }

        var chosen = Select(request.Aggregation ?? _options.Aggregation, candidates, members, perMember, request.Count);
        return chosen.Select(c => Explain(candidates[c.Index], c.Score, members, fitArray, mood)).ToArray();
    }

    /// <summary>One listener's own (ungrouped) hybrid score for one track at a target mood: the quantity rooms aggregate.</summary>
    public float ScoreFor(string userId, long trackId, MoodPoint target)
    {
        if (!_snapshot.TryGetTrack(trackId, out var item))
        {
            throw new ArgumentException($"Track {trackId} is not in snapshot {_snapshot.Version}.", nameof(trackId));
        }

        var members = BuildMembers(new RecommendationRequest([new Listener(userId)], target), MoodLabels.Nearest(target), _snapshot.Als.Factors);
        var fit = new float[_snapshot.Tracks.Count];
        MoodFit(target, fit);
        var cf = members[0].Vector is { } v ? TensorPrimitives.Dot(v, _snapshot.Als.ItemVector(item)) : 0f;
        return (_options.CollaborativeWeight * cf) + (_options.MoodWeight * fit[item]) + (_options.PopularityWeight * _snapshot.Popularity[item]);
    }

    private Member[] BuildMembers(RecommendationRequest request, MoodLabel mood, int k)
    {
        var members = new List<Member>();
        foreach (var listener in request.Listeners)
        {
            if (listener.Weight <= 0)
            {
                continue;
            }

            float[]? vector = null;
            var user = -1;
            if (_snapshot.TryGetUser(listener.UserId, out user))
            {
                vector = new float[k];
                _snapshot.Moods.Shift(_snapshot.Als.UserVector(user), mood, _options.MoodContextWeight, vector);
            }

            members.Add(new Member(listener.Weight, user, vector));
        }

        // Nobody (or nobody present): an anonymous listener gets content + popularity.
        return members.Count > 0 ? members.ToArray() : [new Member(1f, -1, null)];
    }

    private void MoodFit(MoodPoint target, Span<float> fit)
    {
        var twoSigmaSquared = 2 * _options.MoodBandwidth * _options.MoodBandwidth;
        var moods = _snapshot.TrackMoods;
        for (var i = 0; i < fit.Length; i++)
        {
            if (moods[i] is { } point)
            {
                var dv = point.Valence - target.Valence;
                var da = point.Arousal - target.Arousal;
                fit[i] = MathF.Exp(-((dv * dv) + (da * da)) / twoSigmaSquared);
            }
            else
            {
                fit[i] = _options.UnknownMoodFit;
            }
        }
    }

    /// <remarks>
    /// The artist cap is a preference, not a reason to come back short: when the short-list cannot fill the list
    /// within <see cref="HybridOptions.MaxPerArtist"/> (a library by a handful of artists, a room filtered to what it can
    /// hear), the cap rises by one at a time, so the rest goes first to the artists with the fewest picks so far.
    /// </remarks>
    private List<(int Index, float Score)> Select(GroupAggregation rule, int[] candidates, Member[] members, float[][] perMember, int count)
    {
        var totalWeight = members.Sum(m => m.Weight);
        var perArtist = new Dictionary<int, int>();
        var result = new List<(int Index, float Score)>(count);
        var taken = new bool[candidates.Length];
        var cap = _options.MaxPerArtist;
        bool ArtistAllows(int c) => perArtist.GetValueOrDefault(_snapshot.ArtistOfTrack[candidates[c]]) < cap;
        void Take(int c, float score)
        {
            var artist = _snapshot.ArtistOfTrack[candidates[c]];
            perArtist[artist] = perArtist.GetValueOrDefault(artist) + 1;
            taken[c] = true;
            result.Add((c, score));
        }

        var wanted = Math.Min(count, candidates.Length);
        if (rule == GroupAggregation.Fair && members.Length > 1)
        {
            // Satisfaction of each member so far, relative to the best the short-list could give them.
            var best = perMember.Select(s => Math.Max(1e-6f, TensorPrimitives.Max(s))).ToArray();
            var satisfaction = new float[members.Length];
            while (result.Count < wanted)
            {
                var bestIndex = -1;
                var bestScore = float.NegativeInfinity;
                for (var c = 0; c < candidates.Length; c++)
                {
                    if (taken[c] || !ArtistAllows(c))
                    {
                        continue;
                    }

                    var score = 0f;
                    for (var m = 0; m < members.Length; m++)
                    {
                        score += members[m].Weight * perMember[m][c] / (1 + satisfaction[m]);
                    }

                    if (score > bestScore)
                    {
                        (bestIndex, bestScore) = (c, score);
                    }
                }

                if (bestIndex < 0)
                {
                    cap++;
                    continue;
                }

                for (var m = 0; m < members.Length; m++)
                {
                    satisfaction[m] += perMember[m][bestIndex] / best[m];
                }

                Take(bestIndex, WeightedMean(perMember, members, bestIndex, totalWeight));
            }

            return result;
        }

        var scores = new float[candidates.Length];
        for (var c = 0; c < candidates.Length; c++)
        {
            scores[c] = rule == GroupAggregation.LeastMisery ? perMember.Min(s => s[c]) : WeightedMean(perMember, members, c, totalWeight);
        }

        var order = Enumerable.Range(0, candidates.Length).OrderByDescending(c => scores[c]).ThenBy(c => c).ToArray();
        for (; result.Count < wanted; cap++)
        {
            foreach (var c in order)
            {
                if (result.Count == wanted)
                {
                    break;
                }

                if (!taken[c] && ArtistAllows(c))
                {
                    Take(c, scores[c]);
                }
            }
        }

        return result;
    }

    private static float WeightedMean(float[][] perMember, Member[] members, int c, float totalWeight)
    {
        var sum = 0f;
        for (var m = 0; m < members.Length; m++)
        {
            sum += members[m].Weight * perMember[m][c];
        }

        return sum / totalWeight;
    }

    private Recommendation Explain(int item, float score, Member[] members, float[] fit, MoodLabel mood)
    {
        var totalWeight = members.Sum(m => m.Weight);
        var artist = _snapshot.ArtistOfTrack[item];
        float cf = 0;
        int likers = 0, artistFans = 0;
        var becauseOf = -1;
        var becauseOfSimilarity = 0f;
        foreach (var member in members)
        {
            if (member.Vector is null)
            {
                continue;
            }

            var predicted = TensorPrimitives.Dot(member.Vector, _snapshot.Als.ItemVector(item));
            cf += member.Weight * predicted / totalWeight;
            likers += predicted >= LikeThreshold ? 1 : 0;
            var history = _snapshot.History.RowItems(member.User);
            var playsArtist = false;
            foreach (var played in history)
            {
                playsArtist |= _snapshot.ArtistOfTrack[played] == artist;
            }

            artistFans += playsArtist ? 1 : 0;
            foreach (var (neighbour, similarity) in _snapshot.Neighbours.NeighboursOf(item))
            {
                if (similarity > becauseOfSimilarity && history.BinarySearch(neighbour) >= 0)
                {
                    (becauseOf, becauseOfSimilarity) = (neighbour, similarity);
                }

                if (similarity <= becauseOfSimilarity)
                {
                    break;
                }
            }
        }

        var terms = new RecommendationTerms(cf, fit[item], _snapshot.Popularity[item], artistFans, likers);
        var reasons = new List<(float Weight, string Text)>
        {
            (_options.CollaborativeWeight * cf, CollaborativeReason(members.Length, likers, artistFans, artist, becauseOf)),
            (_options.MoodWeight * fit[item], _snapshot.TrackMoods[item] is null
                ? "its mood is unknown, so it neither helps nor hurts"
                : string.Create(CultureInfo.InvariantCulture, $"it fits the {MoodLabels.Names[(int)mood]} mood you're heading for ({fit[item]:0.00})")),
            (_options.PopularityWeight * _snapshot.Popularity[item], "it's popular with listeners here"),
        };
        var reason = string.Join("; ", reasons.Where(r => r.Weight > 0 && r.Text.Length > 0).OrderByDescending(r => r.Weight).Take(2).Select(r => r.Text));
        return new Recommendation(_snapshot.Tracks[item].TrackId, _snapshot.Artists[artist], score, reason.Length > 0 ? reason : "a fresh pick", terms);
    }

    private string CollaborativeReason(int members, int likers, int artistFans, int artist, int becauseOf)
    {
        var name = _snapshot.Artists[artist];
        if (artistFans > 0)
        {
            return members == 1 ? $"you play {name}" : $"{Count(artistFans)} of you play {name}";
        }

        if (becauseOf >= 0)
        {
            var other = _snapshot.Artists[_snapshot.ArtistOfTrack[becauseOf]];
            return members == 1 ? $"listeners who play {other} like it too" : $"people who play {other}, like some of you, like it too";
        }

        return likers switch
        {
            0 => "",
            _ when members == 1 => "listeners with your taste like it",
            _ => $"{Count(likers)} of you have a taste for it",
        };
    }

    private static string Count(int n) => n switch
    {
        1 => "one",
        2 => "two",
        3 => "three",
        4 => "four",
        5 => "five",
        _ => n.ToString(CultureInfo.InvariantCulture),
    };

    private sealed record Member(float Weight, int User, float[]? Vector);
}
