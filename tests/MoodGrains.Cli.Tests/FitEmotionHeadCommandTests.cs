using System.Text.Json;
using MoodGrains.Cli.Commands;
using MoodGrains.Hosting.Local;
using MoodGrains.Mood;
using MoodGrains.Vision.Classification;
using OpenCvSharp;

namespace MoodGrains.Cli.Tests;

public sealed class FitEmotionHeadCommandTests
{
    private static string Models => Path.Combine(RepositoryRoot.Path, "models");

    [Theory]
    [InlineData("")]
    [InlineData("--images /no/such/folder --out x.json")]
    [InlineData("--images . --out x.json --l2 minus-one")]
    [InlineData("--images . --out x.json --validation 0.9")]
    [InlineData("--images . --out x.json --hidden 2.5")]
    [InlineData("--images . --bogus")]
    public async Task Bad_arguments_are_usage_errors(string args)
    {
        // The dispatcher turns a UsageException into "error: ..." + "usage: ..." and exit code 2.
        var list = args.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var error = await Assert.ThrowsAsync<UsageException>(() => new FitEmotionHeadCommand().RunAsync(list, CancellationToken.None));
        Assert.StartsWith("moodgrains fit emotion-head ", error.Usage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task It_fits_a_head_on_a_labelled_folder_and_records_how()
    {
        var root = Directory.CreateTempSubdirectory("moodgrains-fit-head-");
        try
        {
            // Tiny synthetic "faces": each class a different brightness, so the face-api features separate them.
            var images = Path.Combine(root.FullName, "images");
            for (var label = 0; label < Emotions.Count; label++)
            {
                var folder = Directory.CreateDirectory(Path.Combine(images, Emotions.Names[label])).FullName;
                for (var i = 0; i < 6; i++)
                {
                    using var face = new Mat(48, 48, MatType.CV_8UC1, new Scalar(20 + (label * 30) + i));
                    Cv2.Circle(face, new Point(24, 24), 10 + i, new Scalar(255 - (label * 30)), -1);
                    Cv2.ImWrite(Path.Combine(folder, $"{i}.png"), face);
                }
            }

            var output = Path.Combine(root.FullName, "head.json");
            var cache = Path.Combine(root.FullName, "features.bin");
            string[] args = ["--images", images, "--out", output, "--models", Models, "--hidden", "0", "--l2", "1e-3,1e-2",
                "--iterations", "50", "--validation", "0.34", "--cache", cache];

            Assert.Equal(0, await new FitEmotionHeadCommand().RunAsync(args, CancellationToken.None));
            Assert.True(File.Exists(cache));
            File.Delete(output);
            Assert.Equal(0, await new FitEmotionHeadCommand().RunAsync(args, CancellationToken.None)); // from the cache

            var head = EmotionHead.Load(output);
            Assert.Equal(256, head.FeatureCount);
            using var json = JsonDocument.Parse(File.ReadAllText(output));
            var provenance = json.RootElement.GetProperty("provenance");
            Assert.Equal(42, provenance.GetProperty("images").GetInt32());
            Assert.Equal(2, provenance.GetProperty("validation_accuracy_by_configuration").EnumerateObject().Count());
            Assert.Contains("fit emotion-head", provenance.GetProperty("command").GetString(), StringComparison.Ordinal);
            Assert.InRange(provenance.GetProperty("train_accuracy").GetDouble(), 0.5, 1.0);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
