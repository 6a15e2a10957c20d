using Microsoft.Extensions.DependencyInjection;
using MoodGrains.Abstractions.Mood;
using MoodGrains.Mood;
using Orleans.Serialization;

namespace MoodGrains.Grains.Tests;

/// <summary>The mood types live in Orleans-free MoodGrains.Mood; their surrogates must carry them across grain calls.</summary>
public sealed class MoodSerializationTests
{
    [Fact]
    public void Mood_snapshots_survive_the_orleans_serializer_and_copier()
    {
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var copier = services.GetRequiredService<DeepCopier>();
        var scores = EmotionScores.FromProbabilities([0.1f, 0.05f, 0.05f, 0.6f, 0.1f, 0.05f, 0.05f]);
        var snapshot = new MoodSnapshot(scores, Emotion.Happy, new MoodPoint(0.4f, -0.2f), 0.7f, DateTimeOffset.UnixEpoch.AddDays(1));

        var read = serializer.Deserialize<MoodSnapshot>(serializer.SerializeToArray(snapshot));
        var copied = copier.Copy(snapshot);

        Assert.Equal(snapshot, read);
        Assert.Equal(snapshot, copied);
        Assert.Equal(new MoodPoint(0.4f, -0.2f), serializer.Deserialize<MoodPoint>(serializer.SerializeToArray(new MoodPoint(0.4f, -0.2f))));
    }
}
