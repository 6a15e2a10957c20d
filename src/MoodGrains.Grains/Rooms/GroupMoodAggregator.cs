using MoodGrains.Abstractions.Mood;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Mood;

namespace MoodGrains.Grains.Rooms;

/// <summary>
/// Blends members' smoothed moods into the room's mood. Each member counts by their mood's confidence now, which
/// already decays with the age of their last reading, so someone whose camera went off fades out of the blend; a
/// hand-picked mood does not fade. The caller leaves out members who are away.
/// Disagreement is the weighted mean distance of members from the blended point in valence/arousal space
/// (0 = all agree; the circumplex spans -1..1 on each axis).
/// </summary>
public static class GroupMoodAggregator
{
    public static GroupMood Aggregate(IReadOnlyDictionary<string, MoodSnapshot> members, DateTimeOffset now, TimeSpan halfLife)
    {
        var weighted = new List<MemberMood>(members.Count);
        foreach (var (userId, mood) in members)
        {
            var age = now - mood.UpdatedAt;
            // The snapshot's confidence was taken when it was pushed; decay it to now with the same half-life. A
            // hand-picked mood holds at its own confidence until the member changes it.
            var weight = age > TimeSpan.Zero && !mood.Manual ? mood.Confidence * MathF.Pow(2f, -(float)(age / halfLife)) : mood.Confidence;
            weighted.Add(new MemberMood(userId, mood, weight));
        }

        var total = weighted.Sum(m => m.Weight);
        if (total <= 1e-6f)
        {
            return GroupMood.Empty with { Members = weighted, At = now };
        }

        var probabilities = new float[Emotions.Count];
        foreach (var member in weighted)
        {
            for (var i = 0; i < probabilities.Length; i++)
            {
                probabilities[i] += member.Weight / total * member.Mood.Scores.Probabilities[i];
            }
        }

        var scores = new EmotionScores(probabilities);
        var point = Circumplex.ToMoodPoint(scores);
        var disagreement = weighted.Sum(m => m.Weight * m.Mood.Point.DistanceTo(point)) / total;
        var confidence = weighted.Max(m => m.Weight);
        return new GroupMood(scores, point, confidence, disagreement, weighted, now);
    }

    public const int TimelineLength = 150;
    public static readonly TimeSpan TimelineInterval = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The room's mood now (and each member's with a reading) as a timeline sample, kept in <paramref name="timeline"/> when the last kept one is at least
    /// <see cref="TimelineInterval"/> old; the newest <see cref="TimelineLength"/> are kept.
    /// </summary>
    public static MoodSample Sample(GroupMood mood, List<MoodSample> timeline, DateTimeOffset now)
    {
        var sample = new MoodSample(now, mood.Point, mood.Confidence, mood.Dominant)
        {
            Members = mood.Members.Where(m => m.Mood.Confidence > 0).Select(m => new MemberPoint(m.UserId, m.Mood.Point)).ToArray(),
        };
        if (timeline.Count == 0 || now - timeline[^1].At >= TimelineInterval)
        {
            timeline.Add(sample);
            if (timeline.Count > TimelineLength)
            {
                timeline.RemoveRange(0, timeline.Count - TimelineLength);
            }
        }

        return sample;
    }
}
