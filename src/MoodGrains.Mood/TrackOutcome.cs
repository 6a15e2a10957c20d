namespace MoodGrains.Mood;

/// <summary>
/// How a listener's play of a track ended. It lives here, beside the mood types, because rooms, the listening history
/// in Storage and the recommender all use it and this is the one project they share without Orleans.
/// </summary>
public enum TrackOutcome
{
    Completed = 0,
    Skipped = 1,
    Liked = 2,
    Disliked = 3,
}
