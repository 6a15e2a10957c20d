using MoodGrains.Training.Torch;

namespace MoodGrains.Cli.Commands;

/// <summary>Exports a <c>train emotion</c> run to ONNX and checks it against the trained network.</summary>
internal sealed class ExportEmotionCommand : ICliCommand
{
    private const string UsageText = "moodgrains export emotion --run DIR --out FILE.onnx [--last] [--images N]";

    public IReadOnlyList<string> Path { get; } = ["export", "emotion"];

    public string Summary => "export a train emotion run to ONNX, with a parity check against TorchSharp";

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, UsageText, ["--run", "--out", "--images"], ["--last"]);
        var run = parsed.Required("--run");
        var output = parsed.Required("--out");

        if (EmotionTrainer.LatestCheckpoint(run) is null)
        {
            throw parsed.Fail($"'{run}' holds no training checkpoint");
        }

        try
        {
            TrainedModelExport.Export(run, output, best: !parsed.Has("--last"), parsed.Int("--images", 64, min: 1), Console.Out);
            return Task.FromResult(0);
        }
        catch (InvalidDataException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return Task.FromResult(1);
        }
    }
}
