using MoodGrains.Mood;

namespace MoodGrains.Cli.MoodFollow;

/// <summary>What one simulated member does from a moment on: show a face (camera), pick a mood by hand, or close the page.</summary>
internal sealed record MemberAction(double At, string UserId, Emotion? Camera = null, Emotion? Manual = null, bool Leaves = false);

/// <summary>
/// One room's script: three members who are sad for about three tracks, then happy; one closes the page; one picks
/// "sad" by hand while another stays happy; later everyone is neutral. Shift times fall anywhere within a track.
/// </summary>
internal sealed record MoodFollowScript(IReadOnlyList<string> Members, IReadOnlyList<MemberAction> Actions, IReadOnlyList<double> Shifts, double End)
{
    public static MoodFollowScript Create(Random random, IReadOnlyList<string> users)
    {
        var members = random.GetItems(users.ToArray(), 3).Distinct().ToList();
        while (members.Count < 3)
        {
            members.Add(users[random.Next(users.Count)]);
            members = members.Distinct().ToList();
        }

        var (a, b, c) = (members[0], members[1], members[2]);
        var happy = 570 + (random.NextDouble() * 180);
        var leave = happy + 800 + (random.NextDouble() * 200);
        var manual = leave + 500 + (random.NextDouble() * 200);
        var neutral = manual + 800 + (random.NextDouble() * 200);
        var actions = new List<MemberAction>
        {
            new(0, a, Camera: Emotion.Sad), new(0, b, Camera: Emotion.Sad), new(0, c, Camera: Emotion.Sad),
            new(happy, a, Camera: Emotion.Happy), new(happy, b, Camera: Emotion.Happy), new(happy, c, Camera: Emotion.Happy),
            new(leave, c, Leaves: true),
            new(manual, b, Manual: Emotion.Sad),
            new(neutral, a, Camera: Emotion.Neutral), new(neutral, b, Camera: Emotion.Neutral),
        };
        return new MoodFollowScript(members, actions, [happy, manual, neutral], neutral + 900);
    }

    /// <summary>Times at which something scripted happened (shifts and departures): churn right after them is expected.</summary>
    public IEnumerable<double> Events => Actions.Select(x => x.At).Where(t => t > 0).Distinct();
}
