using MoodGrains.Vision;

namespace MoodGrains.Cli.Commands;

/// <summary>
/// The emotion configurations that <c>eval fer</c> and <c>bench vision</c> can name. The test-time augmentation
/// suffix of the first network applies to every network of a combination (<c>-flip</c>: the face and its mirror;
/// <c>-tencrop</c>: five sub-crops and their mirrors, never for the head, which then takes the mirror only).
/// <c>cnn2</c> or <c>cnn3</c> in place of <c>cnn</c> runs two or three of our CNNs (<see cref="VisionOptions.CnnCount"/>).
/// A name always means the shipped slots (<see cref="VisionOptions.ShippedCnnFiles"/>): <c>cnn</c> is the CNN alone,
/// <c>cnn2</c> adds <c>moodgrains-cnn-b.onnx</c>, <c>cnn3</c> also <c>moodgrains-cnn-c.onnx</c>; a folder passed as
/// <c>--models</c> decides which networks those files are.
/// </summary>
internal static class VisionModelNames
{
    /// <summary>The library's defaults (the offline, most accurate setting).</summary>
    public const string Default = "default";

    /// <summary>What the server runs: <see cref="LiveVisionSettings"/>.</summary>
    public const string Live = "live";

    private static readonly Dictionary<string, (EmotionModelKind Kind, bool Flip, bool MultiCrop)> Table = new(StringComparer.Ordinal)
    {
        ["xception"] = (EmotionModelKind.Xception, false, false),
        ["xception-flip"] = (EmotionModelKind.Xception, true, false),
        ["xception-tencrop"] = (EmotionModelKind.Xception, true, true),
        ["faceapi"] = (EmotionModelKind.FaceApi, false, false),
        ["faceapi-flip"] = (EmotionModelKind.FaceApi, true, false),
        ["ensemble"] = (EmotionModelKind.Ensemble, false, false),
        ["head"] = (EmotionModelKind.FaceApiHead, false, false),
        ["head-flip"] = (EmotionModelKind.FaceApiHead, true, false),
        ["xception-flip+head"] = (EmotionModelKind.XceptionAndHead, true, false),
        ["xception-tencrop+head"] = (EmotionModelKind.XceptionAndHead, true, true),
        ["cnn"] = (EmotionModelKind.Cnn, false, false),
        ["cnn-flip"] = (EmotionModelKind.Cnn, true, false),
        ["cnn-tencrop"] = (EmotionModelKind.Cnn, true, true),
        ["cnn+xception"] = (EmotionModelKind.CnnAndXception, false, false),
        ["cnn-flip+xception"] = (EmotionModelKind.CnnAndXception, true, false),
        ["cnn-tencrop+xception"] = (EmotionModelKind.CnnAndXception, true, true),
        ["cnn+head"] = (EmotionModelKind.CnnAndHead, false, false),
        ["cnn-flip+head"] = (EmotionModelKind.CnnAndHead, true, false),
        ["cnn-tencrop+head"] = (EmotionModelKind.CnnAndHead, true, true),
        ["cnn+xception+head"] = (EmotionModelKind.CnnXceptionAndHead, false, false),
        ["cnn-flip+xception+head"] = (EmotionModelKind.CnnXceptionAndHead, true, false),
        ["cnn-tencrop+xception+head"] = (EmotionModelKind.CnnXceptionAndHead, true, true),
    };

    /// <summary>Every name a command accepts, <see cref="Default"/> and <see cref="Live"/> first.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [Default, Live, .. Table.Keys, .. Enumerable.Range(2, VisionOptions.MaxCnnCount - 1).SelectMany(count => CnnNames.Select(n => $"cnn{count}{n[3..]}"))];

    private static IEnumerable<string> CnnNames => Table.Keys.Where(n => n.StartsWith("cnn", StringComparison.Ordinal));

    public static string Choices => string.Join('|', Names);

    /// <summary>Sets the emotion model of <paramref name="options"/> as <paramref name="name"/> says; false for an unknown name.</summary>
    /// <remarks><see cref="Default"/> leaves the options as they are; <see cref="Live"/> is resolved by <see cref="LiveVisionSettings"/>, not here.</remarks>
    public static bool TryApply(string name, VisionOptions options)
    {
        if (name == Default)
        {
            return true;
        }

        var count = name.Length > 3 && name.StartsWith("cnn", StringComparison.Ordinal) && name[3] is >= '2' and <= '9' ? name[3] - '0' : 1;
        if (count > VisionOptions.MaxCnnCount || !Table.TryGetValue(count > 1 ? "cnn" + name[4..] : name, out var setting))
        {
            return false;
        }

        (options.EmotionModel, options.FlipAveraging, options.MultiCrop, options.CnnCount) = (setting.Kind, setting.Flip, setting.MultiCrop, count);
        (options.CnnFile, options.SecondCnnFile, options.ThirdCnnFile) = (VisionOptions.ShippedCnnFiles[0], VisionOptions.ShippedCnnFiles[1], VisionOptions.ShippedCnnFiles[2]);
        return true;
    }

    /// <summary>
    /// The name of the emotion configuration <paramref name="options"/> describe (the inverse of <see cref="TryApply"/>),
    /// followed by the CNN files in brackets where they are not the shipped slots a name means.
    /// </summary>
    public static string Describe(VisionOptions options)
    {
        var name = DescribeKind(options);
        var files = options.CnnFiles();
        return options.EmotionModel.UsesCnn() && !files.SequenceEqual(VisionOptions.ShippedCnnFiles.Take(files.Count))
            ? $"{name} ({string.Join(" + ", files)})"
            : name;
    }

    private static string DescribeKind(VisionOptions options)
    {
        var kind = options.EmotionModel;
        var crops = options.MultiCrop && (kind.UsesXception() || kind.UsesCnn());
        var suffix = crops ? (options.FlipAveraging ? "-tencrop" : "-fivecrop") : options.FlipAveraging ? "-flip" : "";
        var cnn = options.CnnCount > 1 ? $"cnn{options.CnnCount}" : "cnn";
        return kind switch
        {
            EmotionModelKind.Xception => "xception" + suffix,
            EmotionModelKind.FaceApi => options.FlipAveraging ? "faceapi-flip" : "faceapi",
            EmotionModelKind.Ensemble => "ensemble",
            EmotionModelKind.FaceApiHead => options.FlipAveraging ? "head-flip" : "head",
            EmotionModelKind.XceptionAndHead => $"xception{suffix}+head",
            EmotionModelKind.Cnn => cnn + suffix,
            EmotionModelKind.CnnAndXception => $"{cnn}{suffix}+xception",
            EmotionModelKind.CnnAndHead => $"{cnn}{suffix}+head",
            EmotionModelKind.CnnXceptionAndHead => $"{cnn}{suffix}+xception+head",
            _ => kind.ToString(),
        };
    }

    /// <summary>The detector part of a configuration's description.</summary>
    public static string DescribeDetector(VisionOptions options) =>
        options.Detector == FaceDetectorKind.Haar ? "haar" : $"{options.BlazeFaceFile} (score >= {options.MinDetectionScore:0.##})";
}
