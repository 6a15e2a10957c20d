using MoodGrains.Mood;
using MoodGrains.Testing;
using Xunit.Abstractions;

namespace MoodGrains.Vision.Tests;

[Collection(VisionCollection.Name)]
public sealed class ClassificationTests(VisionFixture fixture, ITestOutputHelper output)
{
    // Recall of the shipped model on these classes is far above these floors (see README); a wiring mistake
    // (wrong label order, wrong normalisation, BGR/RGB swap) drops them towards chance (1/7).
    [SharedDataTheory]
    [InlineData("happy", 0.75)]
    [InlineData("surprise", 0.6)]
    [InlineData("neutral", 0.45)]
    public void Fer_faces_mostly_classify_as_their_label(string label, double floor)
    {
        var folder = SharedData.PathOf(Path.Combine("fer2013-publictest", label))!;
        var files = Directory.GetFiles(folder).Order(StringComparer.Ordinal).Take(60).ToList();
        Assert.True(Emotions.TryParse(label, out var expected));

        var hits = 0;
        foreach (var file in files)
        {
            var result = fixture.Analyzer.ClassifyFace(File.ReadAllBytes(file));
            Assert.Equal(FrameStatus.Ok, result.Status);
            var scores = Assert.Single(result.Faces).Emotions;
            Assert.Equal(1f, scores.Probabilities.Sum(), 3);
            hits += scores.Dominant == expected ? 1 : 0;
        }

        output.WriteLine($"{label}: {hits}/{files.Count}");
        Assert.True(hits >= floor * files.Count, $"{hits} of {files.Count} {label} faces were classified {label}");
    }

    [SharedDataFact]
    public void The_happy_photo_reads_as_happy()
    {
        var result = fixture.Analyzer.Analyze(File.ReadAllBytes(TestImages.Photo("happy.jpg")));

        Assert.Equal(Emotion.Happy, Assert.Single(result.Faces).Emotions.Dominant);
    }
}
