using MoodGrains.Testing;
using Xunit.Abstractions;

namespace MoodGrains.Vision.Tests;

[Collection(VisionCollection.Name)]
public sealed class DetectionTests(VisionFixture fixture, ITestOutputHelper output)
{
    public static TheoryData<string> SingleFacePhotos { get; } =
        ["angry.jpg", "disgusted.jpg", "fearful.jpg", "happy.jpg", "neutral.jpg", "sad.jpg", "surprised.jpg"];

    [SharedDataTheory]
    [MemberData(nameof(SingleFacePhotos))]
    public void Finds_the_one_face_in_each_single_face_photo(string photo)
    {
        var result = fixture.Analyzer.Analyze(File.ReadAllBytes(TestImages.Photo(photo)));

        output.WriteLine($"{photo}: {result.Status}, {string.Join("; ", result.Faces.Select(f => $"{f.Box} score {f.DetectionScore:F2} {f.Emotions.Dominant}"))}");
        Assert.Equal(FrameStatus.Ok, result.Status);
        Assert.Single(result.Faces);
    }

    // The server's live setting (src/MoodGrains.Server/appsettings.json), read from the file itself.
    [SharedDataTheory]
    [MemberData(nameof(SingleFacePhotos))]
    public void The_near_face_detector_finds_the_one_face_in_each_single_face_photo(string photo)
    {
        var options = VisionFixture.ServerLiveOptions();
        Assert.Equal("blazeface-front.onnx", options.BlazeFaceFile);
        using var analyzer = new FrameAnalyzer(options);

        var result = analyzer.Analyze(File.ReadAllBytes(TestImages.Photo(photo)));

        output.WriteLine($"{photo}: {result.Status} {result.Width}x{result.Height}, {string.Join("; ", result.Faces.Select(f => $"{f.Box} score {f.DetectionScore:F2} {f.Emotions.Dominant}"))}");
        Assert.Equal(FrameStatus.Ok, result.Status);
        Assert.Single(result.Faces);
    }

    // Faces counted by eye: people facing the camera with both eyes visible.
    [SharedDataTheory]
    [InlineData("bbt1.jpg", 4)]
    [InlineData("bbt2.jpg", 2)]
    [InlineData("bbt3.jpg", 5)]
    [InlineData("bbt4.jpg", 6)]
    [InlineData("bbt5.jpg", 5)]
    public void Finds_every_face_in_group_photos(string photo, int faces)
    {
        var bytes = File.ReadAllBytes(TestImages.Photo(photo));
        var options = VisionFixture.DefaultOptions();
        options.MaxPayloadBytes = bytes.Length; // these photos are larger than a webcam frame
        using var analyzer = new FrameAnalyzer(options);

        var result = analyzer.Analyze(bytes);

        output.WriteLine($"{photo}: {result.Status} {result.Width}x{result.Height}, {result.Faces.Count} faces: {string.Join("; ", result.Faces.Select(f => $"{f.Box} {f.DetectionScore:F2}"))}");
        Assert.Equal(FrameStatus.Ok, result.Status);
        Assert.InRange(result.Faces.Count, faces, faces + 1);
    }
}
