using Microsoft.ML.OnnxRuntime;

namespace MoodGrains.Vision.Imaging;

/// <summary>One ONNX file with its single shared session; <see cref="Run"/> is safe to call from many threads.</summary>
internal sealed class OnnxModel : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string _inputName;
    private readonly string[] _outputNames;

    public OnnxModel(string path, int intraOpThreads)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        // Callers are a bounded worker pool: spinning idle threads would only steal the cores they need.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        _session = new InferenceSession(path, options);
        _inputName = _session.InputNames[0];
        _outputNames = [.. _session.OutputNames];
        InputShape = _session.InputMetadata[_inputName].Dimensions;
        OutputShapes = [.. _outputNames.Select(name => (IReadOnlyList<int>)_session.OutputMetadata[name].Dimensions)];
    }

    /// <summary>Declared input dimensions; -1 marks a free (batch) dimension.</summary>
    public IReadOnlyList<int> InputShape { get; }

    /// <summary>Declared dimensions of each output, in the order <see cref="Run"/> returns them.</summary>
    public IReadOnlyList<IReadOnlyList<int>> OutputShapes { get; }

    /// <summary>Runs the model on a planar float buffer and copies every output (in declared order) into new arrays.</summary>
    public float[][] Run(Memory<float> input, long[] shape)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input, shape);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, [_inputName], [value], _outputNames);
        var result = new float[outputs.Count][];
        for (var i = 0; i < outputs.Count; i++)
        {
            result[i] = outputs[i].GetTensorDataAsSpan<float>().ToArray();
        }

        return result;
    }

    public void Dispose() => _session.Dispose();
}
