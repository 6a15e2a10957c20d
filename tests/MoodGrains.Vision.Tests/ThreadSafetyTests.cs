using MoodGrains.Testing;
using OpenCvSharp;

namespace MoodGrains.Vision.Tests;

[Collection(VisionCollection.Name)]
public sealed class ThreadSafetyTests(VisionFixture fixture)
{
    [SharedDataFact]
    public void Parallel_analysis_gives_the_same_results_as_serial()
    {
        var frames = new[] { "happy.jpg", "sad.jpg", "surprised.jpg", "angry.jpg", "neutral.jpg" }
            .Select(name =>
            {
                using var photo = Cv2.ImRead(TestImages.Photo(name), ImreadModes.Color);
                using var frame = photo.Resize(new Size(320, 240));
                return TestImages.Jpeg(frame);
            })
            .ToArray();
        var serial = frames.Select(f => fixture.Analyzer.Analyze(f)).ToArray();
        Assert.All(serial, r => Assert.Equal(FrameStatus.Ok, r.Status));

        var parallel = new FrameAnalysis[frames.Length * 8];
        Parallel.For(0, parallel.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => parallel[i] = fixture.Analyzer.Analyze(frames[i % frames.Length]));

        for (var i = 0; i < parallel.Length; i++)
        {
            var expected = serial[i % frames.Length];
            Assert.Equal(expected.Status, parallel[i].Status);
            Assert.Equal(expected.Faces.Count, parallel[i].Faces.Count);
            for (var f = 0; f < expected.Faces.Count; f++)
            {
                Assert.Equal(expected.Faces[f].Box, parallel[i].Faces[f].Box);
                Assert.Equal(expected.Faces[f].Emotions.Probabilities, parallel[i].Faces[f].Emotions.Probabilities);
            }
        }
    }

    [Fact]
    public void Parallel_bad_input_never_throws()
    {
        var random = new Random(5);
        var inputs = Enumerable.Range(0, 64).Select(i =>
        {
            var bytes = new byte[random.Next(0, 3000)];
            random.NextBytes(bytes);
            if (i % 3 == 0 && bytes.Length > 3)
            {
                bytes[0] = 0xFF;
                bytes[1] = 0xD8;
                bytes[2] = 0xFF;
            }

            return bytes;
        }).ToArray();

        Parallel.ForEach(inputs, bytes => Assert.NotEqual(FrameStatus.Ok, fixture.Analyzer.Analyze(bytes).Status));
    }
}
