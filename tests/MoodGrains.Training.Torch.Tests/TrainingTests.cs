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

    [Fact]
    public void With_the_teacher_alone_the_network_learns_the_teachers_answers_not_the_labels()
    {
        // The teacher says "surprise" for every face, whatever its folder: with weight 1 only the teacher teaches.
        var images = SyntheticFaces(perClass: 6);
        var data = FerTensors.Load(images);
        var teacherFile = Path.Combine(_root.FullName, "teacher.csv");
        var surprise = new float[Emotions.Count];
        surprise[(int)Emotion.Surprise] = 1;
        Training.Vision.TeacherFile.Write(teacherFile, "always surprise", data.Paths.Select(p => (Path.GetRelativePath(images, p), surprise)));
        var settings = new TrainingSettings(new EmotionCnnShape([4], 1, 0), Augmentation.Default, Epochs: 6, BatchSize: 6, PeakLearningRate: 0.05,
            ValidationFraction: 0, WarmupEpochs: 0, Teacher: teacherFile, TeacherSha256: Training.Vision.ModelFiles.Sha256(teacherFile), TeacherWeight: 1);
        var output = Path.Combine(_root.FullName, "taught");

        new EmotionTrainer(images, output, 1, TextWriter.Null).Run(settings, resume: false, "test", CancellationToken.None);

        using var model = EmotionTrainer.LoadModel(Path.Combine(output, EmotionTrainer.CheckpointFolder, EmotionTrainer.ModelFile), settings.Shape);
        using var scope = TorchSharp.torch.NewDisposeScope();
        var (all, _) = data.Batch(Enumerable.Range(0, data.Count).ToArray());
        var predicted = model.forward(all).argmax(1).data<long>().ToArray();
        Assert.All(predicted, p => Assert.Equal((long)Emotion.Surprise, p));
        Assert.Contains("teacher: always surprise", File.ReadAllText(Path.Combine(output, EmotionTrainer.LogFile)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_teacher_file_without_a_training_image_or_changed_since_the_run_was_set_up_is_refused()
    {
        var images = SyntheticFaces(perClass: 3);
        var data = FerTensors.Load(images);
        var teacherFile = Path.Combine(_root.FullName, "partial-teacher.csv");
        var uniform = Enumerable.Repeat(1f / Emotions.Count, Emotions.Count).ToArray();
        Training.Vision.TeacherFile.Write(teacherFile, "uniform", data.Paths.Skip(1).Select(p => (Path.GetRelativePath(images, p), uniform)));
        var settings = new TrainingSettings(new EmotionCnnShape([4], 1, 0), Augmentation.Default, Epochs: 1, BatchSize: 4, ValidationFraction: 0,
            Teacher: teacherFile, TeacherSha256: Training.Vision.ModelFiles.Sha256(teacherFile), TeacherWeight: 0.5);

        var missing = Assert.Throws<InvalidOperationException>(() =>
            new EmotionTrainer(images, Path.Combine(_root.FullName, "a"), 1, TextWriter.Null).Run(settings, resume: false, "test", CancellationToken.None));
        Assert.Contains(Path.GetRelativePath(images, data.Paths[0]), missing.Message, StringComparison.Ordinal);

        var changed = Assert.Throws<InvalidOperationException>(() =>
            new EmotionTrainer(images, Path.Combine(_root.FullName, "b"), 1, TextWriter.Null).Run(settings with { TeacherSha256 = new string('0', 64) }, resume: false, "test", CancellationToken.None));
        Assert.Contains("not the file this run was set up with", changed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_soft_cross_entropy_of_one_hot_targets_is_the_plain_cross_entropy()
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var logits = TorchSharp.torch.tensor(new float[] { 2, 0.5f, -1, 0, 0, 0, 1, -0.5f, 3, 0, 0.2f, 0, 0, 0 }).reshape(2, 7);
        var labels = TorchSharp.torch.tensor(new long[] { 0, 1 });
        var oneHot = TorchSharp.torch.nn.functional.one_hot(labels, 7).to_type(TorchSharp.torch.ScalarType.Float32);

        Assert.Equal(EmotionTrainer.SmoothedCrossEntropy(logits, labels, 0).item<float>(), EmotionTrainer.SoftCrossEntropy(logits, oneHot).item<float>(), 5);
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
