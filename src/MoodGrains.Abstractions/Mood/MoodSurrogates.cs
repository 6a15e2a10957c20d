using MoodGrains.Mood;

namespace MoodGrains.Abstractions.Mood;

// The mood vocabulary lives in MoodGrains.Mood, which knows nothing of Orleans so that vision and recommendations
// need not either. These surrogates carry it across grain boundaries with the same field ids the types had when they
// were [GenerateSerializer] records here.

[GenerateSerializer, Immutable, Alias("moodgrains.EmotionScoresSurrogate")]
public readonly record struct EmotionScoresSurrogate([property: Id(0)] float[] Probabilities);

[RegisterConverter]
public sealed class EmotionScoresConverter : IConverter<EmotionScores, EmotionScoresSurrogate>
{
    public EmotionScores ConvertFromSurrogate(in EmotionScoresSurrogate surrogate) => new(surrogate.Probabilities);

    public EmotionScoresSurrogate ConvertToSurrogate(in EmotionScores value) => new(value.Probabilities);
}

[GenerateSerializer, Immutable, Alias("moodgrains.MoodPointSurrogate")]
public readonly record struct MoodPointSurrogate([property: Id(0)] float Valence, [property: Id(1)] float Arousal);

[RegisterConverter]
public sealed class MoodPointConverter : IConverter<MoodPoint, MoodPointSurrogate>
{
    public MoodPoint ConvertFromSurrogate(in MoodPointSurrogate surrogate) => new(surrogate.Valence, surrogate.Arousal);

    public MoodPointSurrogate ConvertToSurrogate(in MoodPoint value) => new(value.Valence, value.Arousal);
}
