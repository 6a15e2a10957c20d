using MoodGrains.Cli.Commands;
using MoodGrains.Testing;
using MoodGrains.Training.Torch;
using Microsoft.ML.OnnxRuntime;

namespace MoodGrains.Cli.Tests;

public sealed class TrainEmotionCommandTests
{
    [Theory]
    [InlineData("")]
    [InlineData("--data /no/such/folder --out x")]
    [InlineData("--data . --out x --epochs 0")]
    [InlineData("--data . --out x --widths 32,x")]
    [InlineData("--data . --out x --label-smoothing 1.5")]
    [InlineData("--data . --out x --resume --epochs 3")]
    [InlineData("--data . --out x --init /no/such/run")]
    [InlineData("--data . --out x --teacher-weight 0.5")]
    [InlineData("--data . --out x --teacher /no/such/teacher.csv")]
    public async Task Bad_arguments_are_usage_errors(string args)
    {
        var list = args.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var error = await Assert.ThrowsAsync<UsageException>(() => new TrainEmotionCommand().RunAsync(list, CancellationToken.None));
        Assert.StartsWith("moodgrains train emotion ", error.Usage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_teacher_file_is_a_usage_error_naming_its_line()
    {
        var folder = Directory.CreateTempSubdirectory("moodgrains-bad-teacher-");
        try
        {
            var file = Path.Combine(folder.FullName, "teacher.csv");
            await File.WriteAllTextAsync(file, "# teacher: test\npath,angry,disgust,fear,happy,sad,surprise,neutral\nhappy/1.png,0.5,0.6,0,0,0,0,0\n");

            var error = await Assert.ThrowsAsync<UsageException>(() =>
                new TrainEmotionCommand().RunAsync(["--data", folder.FullName, "--out", Path.Combine(folder.FullName, "out"), "--teacher", file], CancellationToken.None));

            Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(folder.FullName, "out")));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The CI smoke run: a few batches on a handful of FER-2013 training faces, then export and parity.</summary>
    [SharedDataFact]
    public async Task A_few_batches_train_export_and_pass_the_parity_check()
    {
        var output = Directory.CreateTempSubdirectory("moodgrains-train-emotion-");
        try
        {
            string[] args = ["--data", SharedData.PathOf("fer2013-train")!, "--out", output.FullName, "--epochs", "2", "--batches", "3", "--batch-size", "16",
                "--limit", "8", "--lr", "0.005", "--threads", "1"];

            Assert.Equal(0, await new TrainEmotionCommand().RunAsync(args, CancellationToken.None));

            var state = TrainingState.Load(Path.Combine(output.FullName, EmotionTrainer.CheckpointFolder, EmotionTrainer.StateFile));
            Assert.Equal(2, state.CompletedEpochs);
            Assert.Equal(2, state.History.Count);
            var onnx = Path.Combine(output.FullName, TrainEmotionCommand.OnnxFile);
            using var session = new InferenceSession(onnx);
            Assert.Contains("train emotion", session.ModelMetadata.CustomMetadataMap["command"], StringComparison.Ordinal);

            // A second start on the same folder must resume, not overwrite.
            await Assert.ThrowsAsync<UsageException>(() => new TrainEmotionCommand().RunAsync(args, CancellationToken.None));

            // A second cycle starts from this run's best weights and keeps its held-out slice, whatever it is asked.
            var second = Path.Combine(output.FullName, "second");
            string[] continuation = ["--data", SharedData.PathOf("fer2013-train")!, "--out", second, "--init", output.FullName, "--epochs", "1", "--batches", "2",
                "--batch-size", "16", "--lr", "0.001", "--threads", "1"];
            await Assert.ThrowsAsync<UsageException>(() => new TrainEmotionCommand().RunAsync([.. continuation, "--split-seed", "7"], CancellationToken.None));
            Assert.Equal(0, await new TrainEmotionCommand().RunAsync(continuation, CancellationToken.None));
            var continued = TrainingState.Load(Path.Combine(second, EmotionTrainer.CheckpointFolder, EmotionTrainer.StateFile)).Settings;
            var best = Path.Combine(output.FullName, EmotionTrainer.BestModelFile);
            Assert.Equal(best, continued.InitialWeights);
            Assert.Equal(MoodGrains.Training.Vision.ModelFiles.Sha256(best), continued.InitialWeightsSha256);
            Assert.Equal((state.Settings.SplitSeed, state.Settings.ValidationFraction, 8), (continued.SplitSeed, continued.ValidationFraction, continued.LimitPerClass));
            Assert.Contains($"starting from {best}", await File.ReadAllTextAsync(Path.Combine(second, EmotionTrainer.LogFile)), StringComparison.Ordinal);

            // Weights that changed since the cycle was set up are refused rather than silently used.
            var trainer = new EmotionTrainer(SharedData.PathOf("fer2013-train")!, Path.Combine(output.FullName, "third"), 1, TextWriter.Null);
            var error = Assert.Throws<InvalidOperationException>(() =>
                trainer.Run(continued with { InitialWeightsSha256 = new string('0', 64) }, resume: false, "test", CancellationToken.None));
            Assert.Contains("not the file this run was set up with", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
