using System.Text.Json;
using System.Text.Json.Serialization;

namespace MoodGrains.Vision.Classification;

/// <summary>
/// The JSON files that carry a fitted head (<see cref="EmotionHeadFile"/>) or ensemble (<see cref="EnsembleFile"/>):
/// read here by <see cref="EmotionHead.Load"/> and <see cref="EnsembleModel.Load"/>, written by the Training library
/// with a description and provenance, so a shipped file explains itself. One definition for both sides.
/// </summary>
public static class ModelFileFormat
{
    public static JsonSerializerOptions Json { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

/// <summary>A head file: standardisation, the optional hidden layer and the regression, classes in the order of <see cref="Labels"/>.</summary>
public sealed class EmotionHeadFile
{
    public string? Description { get; set; }

    public string[]? Labels { get; set; }

    /// <summary>How the file was made (the Training library's record); not needed to read the weights.</summary>
    public object? Provenance { get; set; }

    public float[]? Mean { get; set; }

    public float[]? Scale { get; set; }

    public float[][]? HiddenWeights { get; set; }

    public float[]? HiddenBias { get; set; }

    public float[][]? Weights { get; set; }

    public float[]? Bias { get; set; }
}

/// <summary>An ensemble file: the regression over both models' log probabilities, classes in the order of <see cref="Labels"/>.</summary>
public sealed class EnsembleFile
{
    public string? Description { get; set; }

    public string[]? Labels { get; set; }

    /// <summary>How the file was made (the Training library's record); not needed to read the weights.</summary>
    public object? Provenance { get; set; }

    public float[][]? Weights { get; set; }

    public float[]? Bias { get; set; }
}
