using MoodGrains.Cli.Commands;
using MoodGrains.Mood;
using MoodGrains.Testing;
using MoodGrains.Training.Vision;

namespace MoodGrains.Cli.Tests;

public sealed class EvalFerProbabilitiesTests
{
    /// <summary>What a distillation run reads: every image's answer of the named configuration, by path under the folder.</summary>
    [SharedDataFact]
    public async Task Eval_fer_writes_each_images_probabilities_as_a_teacher_file()
    {
        var images = SharedData.PathOf("fer2013-publictest")!;
        var file = Path.Combine(Directory.CreateTempSubdirectory("moodgrains-probabilities-").FullName, "teacher.csv");
        try
        {
            string[] args = ["--images", images, "--limit", "2", "--model", "cnn-flip", "--probabilities", file, "--json"];

            Assert.Equal(0, await new EvalFerCommand().RunAsync(args, CancellationToken.None));

            var (teacher, rows) = TeacherFile.Read(file);
            Assert.Equal("cnn-flip", teacher);
            var expected = FerSamples.Load(images, 2).Select(s => Path.GetRelativePath(images, s.Path)).Order(StringComparer.Ordinal);
            Assert.Equal(expected, rows.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(2 * Emotions.Count, rows.Count);
            Assert.All(rows.Values, p => Assert.Equal(1f, p.Sum(), 3));
            await Assert.ThrowsAsync<UsageException>(() => new EvalFerCommand().RunAsync([.. args, "--all"], CancellationToken.None));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }
}
