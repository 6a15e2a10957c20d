using MoodGrains.Mood;
using OpenCvSharp;

namespace MoodGrains.Training.Torch.Tests;

public sealed class TrainingTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("moodgrains-train-");

    public TrainingTests()
    {
        NativeCompatibility.EnsureLoadable();
    }

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void A_new_run_refuses_a_folder_that_holds_a_checkpoint()
    {
        var images = SyntheticFaces(perClass: 3);
        var settings = new TrainingSettings(new EmotionCnnShape([4], 1, 0), Augmentation.Default, Epochs: 1, BatchSize: 4, ValidationFraction: 0);
        var output = Path.Combine(_root.FullName, "run");
        new EmotionTrainer(images, output, 1, TextWriter.Null).Run(settings, resume: false, "test", CancellationToken.None);

        Assert.Throws<InvalidOperationException>(() => new EmotionTrainer(images, output, 1, TextWriter.Null).Run(settings, resume: false, "test", CancellationToken.None));
    }

    [Fact]
    public void The_held_out_slice_is_stratified_and_fixed_by_its_seed()
    {
        var data = FerTensors.Load(SyntheticFaces(perClass: 10));

        var (train, validation) = data.Split(0.2, 7);

        Assert.Equal(14, validation.Length);
        Assert.All(Enumerable.Range(0, Emotions.Count), label => Assert.Equal(2, validation.Count(i => data.Labels[i] == label)));
        Assert.Empty(train.Intersect(validation));
        Assert.Equal(validation, data.Split(0.2, 7).Validation);
        Assert.NotEqual(validation, data.Split(0.2, 8).Validation);
    }

    [Fact]
    public void The_schedule_warms_up_then_decays_to_nothing()
    {
        var settings = new TrainingSettings(EmotionCnnShape.Default, Augmentation.Default, Epochs: 10, PeakLearningRate: 0.1, WarmupEpochs: 2);

        Assert.Equal(0.1 / 200, settings.LearningRate(0, 1000), 9);
        Assert.Equal(0.1, settings.LearningRate(199, 1000), 9);
        Assert.True(settings.LearningRate(600, 1000) < settings.LearningRate(400, 1000));
        Assert.InRange(settings.LearningRate(999, 1000), 0, 1e-5);
    }

    /// <summary>A FER-layout folder of tiny synthetic faces, each class a different brightness and blob size.</summary>
    private string SyntheticFaces(int perClass)
    {
        var images = Path.Combine(_root.FullName, $"images-{perClass}");
        for (var label = 0; label < Emotions.Count; label++)
        {
            var folder = Directory.CreateDirectory(Path.Combine(images, Emotions.Names[label])).FullName;
            for (var i = 0; i < perClass; i++)
            {
                using var face = new Mat(48, 48, MatType.CV_8UC1, new OpenCvSharp.Scalar(20 + (label * 30) + i));
                Cv2.Circle(face, new Point(24, 24), 6 + label + (i % 3), new OpenCvSharp.Scalar(255 - (label * 30)), -1);
                Cv2.ImWrite(Path.Combine(folder, $"{i}.png"), face);
            }
        }

        return images;
    }
}
