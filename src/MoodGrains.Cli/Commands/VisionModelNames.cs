using MoodGrains.Vision;

namespace MoodGrains.Cli.Commands;

/// <summary>
/// The emotion configurations that <c>eval fer</c> and <c>bench vision</c> can name. The test-time augmentation
/// suffix of the first network applies to every network of a combination (<c>-flip</c>: the face and its mirror;
/// <c>-tencrop</c>: five sub-crops and their mirrors, never for the head, which then takes the mirror only).
/// <c>cnn2</c> in place of <c>cnn</c> runs both of our CNNs (<see cref="VisionOptions.SecondCnn"/>).
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
        [Default, Live, .. Table.Keys, .. Table.Keys.Where(n => n.StartsWith("cnn", StringComparison.Ordinal)).Select(n => "cnn2" + n[3..])];

    public static string Choices => string.Join('|', Names);

    /// <summary>Sets the emotion model of <paramref name="options"/> as <paramref name="name"/> says; false for an unknown name.</summary>
    /// <remarks><see cref="Default"/> leaves the options as they are; <see cref="Live"/> is resolved by <see cref="LiveVisionSettings"/>, not here.</remarks>
    public static bool TryApply(string name, VisionOptions options)
    {
        if (name == Default)
        {
            return true;
        }

        var second = name.StartsWith("cnn2", StringComparison.Ordinal);
        if (!Table.TryGetValue(second ? "cnn" + name[4..] : name, out var setting))
        {
            return false;
        }

        (options.EmotionModel, options.FlipAveraging, options.MultiCrop, options.SecondCnn) = (setting.Kind, setting.Flip, setting.MultiCrop, second);
        return true;
    }

    /// <summary>The name of the emotion configuration <paramref name="options"/> describe (the inverse of <see cref="TryApply"/>).</summary>
    public static string Describe(VisionOptions options)
    {
        var kind = options.EmotionModel;
        var crops = options.MultiCrop && (kind.UsesXception() || kind.UsesCnn());
        var suffix = crops ? (options.FlipAveraging ? "-tencrop" : "-fivecrop") : options.FlipAveraging ? "-flip" : "";
        var cnn = options.SecondCnn ? "cnn2" : "cnn";
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
