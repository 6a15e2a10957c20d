namespace MoodGrains.Vision;

public enum FaceDetectorKind
{
    /// <summary>BlazeFace (MediaPipe) converted to ONNX: about a millisecond per frame, finds several faces.</summary>
    BlazeFace = 0,

    /// <summary>OpenCV's Haar cascade from Debian's opencv-data: slower, kept as a fallback without ONNX detection.</summary>
    Haar = 1,
}

public enum EmotionModelKind
{
    /// <summary>oarriaga's mini-Xception (64x64 gray) alone.</summary>
    Xception = 0,

    /// <summary>face-api's FaceExpressionNet (112x112 RGB) alone.</summary>
    FaceApi = 1,

    /// <summary>Logistic regression over both models' flip-averaged probabilities (weights in <see cref="VisionOptions.EnsembleFile"/>).</summary>
    Ensemble = 2,

    /// <summary>
    /// A FER-2013 head (<see cref="VisionOptions.HeadFile"/>) over face-api's pooled backbone features, alone;
    /// flip-averaged when <see cref="VisionOptions.FlipAveraging"/> is on.
    /// </summary>
    FaceApiHead = 3,

    /// <summary>
    /// mini-Xception (with its configured test-time augmentation) and the face-api head (flip-averaged), combined by
    /// the fixed equal-weight geometric mean of <see cref="Classification.ProductOfExperts"/>.
    /// </summary>
    XceptionAndHead = 4,

    /// <summary>Our own network (<see cref="VisionOptions.CnnFile"/>, 48x48 gray, trained here on fer2013-train) alone.</summary>
    Cnn = 5,

    /// <summary>Our CNN and mini-Xception, both with the configured test-time augmentation, by the fixed geometric mean.</summary>
    CnnAndXception = 6,

    /// <summary>Our CNN (with its test-time augmentation) and the face-api head (flip-averaged as configured), by the fixed geometric mean.</summary>
    CnnAndHead = 7,

    /// <summary>Our CNN, mini-Xception and the face-api head, by the fixed equal-weight geometric mean of all three.</summary>
    CnnXceptionAndHead = 8,
}

public static class EmotionModelKindExtensions
{
    public static bool UsesXception(this EmotionModelKind kind) =>
        kind is EmotionModelKind.Xception or EmotionModelKind.Ensemble or EmotionModelKind.XceptionAndHead
            or EmotionModelKind.CnnAndXception or EmotionModelKind.CnnXceptionAndHead;

    public static bool UsesFaceApi(this EmotionModelKind kind) => kind is EmotionModelKind.FaceApi or EmotionModelKind.Ensemble || kind.UsesHead();

    public static bool UsesHead(this EmotionModelKind kind) =>
        kind is EmotionModelKind.FaceApiHead or EmotionModelKind.XceptionAndHead or EmotionModelKind.CnnAndHead or EmotionModelKind.CnnXceptionAndHead;

    public static bool UsesCnn(this EmotionModelKind kind) =>
        kind is EmotionModelKind.Cnn or EmotionModelKind.CnnAndXception or EmotionModelKind.CnnAndHead or EmotionModelKind.CnnXceptionAndHead;
}

/// <summary>
/// Configuration of <see cref="FrameAnalyzer"/>; the server binds it from <c>MoodGrains:Vision</c> and runs
/// <see cref="Validate"/> at start-up.
/// <para>
/// These defaults are the offline, most accurate configuration (67.34 % on FER-2013 PublicTest with
/// <c>moodgrains eval fer</c>, see README.md; the models are described in models/README.md):
/// the 256x256 BlazeFace, and mini-Xception ten-crop combined with the face-api head. They cost 16 to 20 ms a frame,
/// which suits evaluation and the CLI. The server does not run them: its live setting (the 128x128 near-face
/// BlazeFace with a detection score of at least 0.75, and mini-Xception on the face alone, about 2 ms) is written
/// once, in <c>src/MoodGrains.Server/appsettings.json</c>.
/// </para>
/// </summary>
public sealed class VisionOptions
{
    public const string Section = "MoodGrains:Vision";

    private const string Key = Section + ":";

    /// <summary>Folder holding the ONNX files and the ensemble weights (the repository's <c>models/</c>).</summary>
    public string ModelDirectory { get; set; } = "models";

    public FaceDetectorKind Detector { get; set; } = FaceDetectorKind.BlazeFace;

    /// <summary>
    /// BlazeFace variant: <c>blazeface.onnx</c> (256x256; finds every face in our group photos) or <c>blazeface-front.onnx</c>
    /// (128x128, faster, but only for faces filling a good part of the frame).
    /// </summary>
    public string BlazeFaceFile { get; set; } = "blazeface.onnx";

    public string HaarCascadePath { get; set; } = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";

    /// <summary>
    /// The default is the offline configuration chosen by the rule fixed before measuring (docs/vision.md): our CNN,
    /// mini-Xception and the face-api head, ten-crop, combined by the equal-weight geometric mean.
    /// </summary>
    public EmotionModelKind EmotionModel { get; set; } = EmotionModelKind.CnnXceptionAndHead;

    /// <summary>Average each face with its mirror image (ignored by the ensemble, which always uses both).</summary>
    public bool FlipAveraging { get; set; } = true;

    /// <summary>
    /// mini-Xception and our CNN (alone or combined), never the head: also average over five sub-crops (four corners
    /// and centre, 11/12 of the side), the "ten-crop" test-time augmentation with <see cref="FlipAveraging"/>. Five
    /// times the classifier cost.
    /// </summary>
    public bool MultiCrop { get; set; } = true;

    public string XceptionFile { get; set; } = "emotion-xception.onnx";

    /// <summary>
    /// Our networks as <c>models/</c> ships them, in their fixed slots: the CNN (the best single network on the
    /// held-out slice, what <c>cnn</c> names in the CLI and the server runs live), then the other two. Each is
    /// exported by <c>moodgrains export emotion</c> (input <c>[N,1,48,48]</c>, output <c>probabilities [N,7]</c>).
    /// </summary>
    public static IReadOnlyList<string> ShippedCnnFiles { get; } = ["moodgrains-cnn.onnx", "moodgrains-cnn-b.onnx", "moodgrains-cnn-c.onnx"];

    public const int MaxCnnCount = 3;

    /// <summary>
    /// How many of our CNNs run wherever the configuration runs our CNN: 1 is <see cref="CnnFile"/> alone, 2 adds
    /// <see cref="SecondCnnFile"/>, 3 also <see cref="ThirdCnnFile"/>. Each runs with the same test-time augmentation
    /// and is an equal expert of the geometric mean (so three CNNs with mini-Xception weigh four networks 1/4 each).
    /// </summary>
    /// <remarks>
    /// The defaults are the offline rule's choice (docs/vision.md, "The next rule applied"): of every set of one to
    /// three shipped networks, the one whose ten crops score highest on the held-out slice, run 5 + run 2. It leaves
    /// out the CNN itself, so the default files are not the shipped slots' order; the server's appsettings.json names
    /// its own.
    /// </remarks>
    public int CnnCount { get; set; } = 2;

    /// <summary>The first of our CNNs that run (run 5's network by default, <c>moodgrains-cnn-c.onnx</c>).</summary>
    public string CnnFile { get; set; } = ShippedCnnFiles[2];

    /// <summary>The second CNN (<see cref="CnnCount"/> 2 or more; run 2's network by default).</summary>
    public string SecondCnnFile { get; set; } = ShippedCnnFiles[1];

    /// <summary>The third CNN (<see cref="CnnCount"/> 3; the CNN, run 6's network, by default).</summary>
    public string ThirdCnnFile { get; set; } = ShippedCnnFiles[0];

    /// <summary>The files of the CNNs that run, <see cref="CnnFile"/> first (<see cref="CnnCount"/> of them).</summary>
    public IReadOnlyList<string> CnnFiles() => [.. new[] { CnnFile, SecondCnnFile, ThirdCnnFile }.Take(Math.Clamp(CnnCount, 1, MaxCnnCount))];

    /// <summary>
    /// Retired: replaced by <see cref="CnnCount"/> (2 runs both CNNs). Kept only so that a configuration that still
    /// sets it is refused with that advice instead of being silently ignored.
    /// </summary>
    public bool? SecondCnn { get; set; }

    public string FaceApiFile { get; set; } = "face-expression.onnx";

    public string EnsembleFile { get; set; } = "emotion-ensemble.json";

    /// <summary>The FER head over face-api's features, written by <c>moodgrains fit emotion-head</c>.</summary>
    public string HeadFile { get; set; } = "emotion-head.json";

    /// <summary>Frames bigger than this are refused unread.</summary>
    public int MaxPayloadBytes { get; set; } = 512 * 1024;

    /// <summary>Width x height limit checked on the header before decoding (decompression bombs).</summary>
    public long MaxPixels { get; set; } = 4096L * 4096;

    /// <summary>
    /// Scans a JPEG may hold. A baseline JPEG has one, a standard progressive one about ten; each further scan makes
    /// the decoder pass over the whole image again, so many small scans turn a small file into seconds of decoding.
    /// </summary>
    public int MaxJpegScans { get; set; } = 12;

    /// <summary>Faces classified per frame; more are dropped (lowest detection score first) and flagged.</summary>
    public int MaxFaces { get; set; } = 8;

    public float MinDetectionScore { get; set; } = 0.6f;

    /// <summary>Boxes overlapping more than this (intersection over union) are merged.</summary>
    public float NmsIouThreshold { get; set; } = 0.3f;

    /// <summary>Faces narrower than this many frame pixels are ignored (too small to read an expression).</summary>
    public int MinFaceSize { get; set; } = 24;

    /// <summary>
    /// The square crop handed to the classifier, as a multiple of the detected box's longer side. The detector's box
    /// runs from brows to chin; FER-2013 crops also show the forehead and the sides of the head.
    /// </summary>
    public float FaceCropScale { get; set; } = 1.25f;

    /// <summary>ONNX Runtime threads per inference call. 1 suits many concurrent callers (one call per core).</summary>
    public int IntraOpThreads { get; set; } = 1;

    public string ResolvePath(string file) => Path.IsPathRooted(file) ? file : Path.Combine(ModelDirectory, file);

    /// <summary>Every problem with these settings, each a sentence naming the setting; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Check(bool ok, string message)
        {
            if (!ok)
            {
                errors.Add(message);
            }
        }

        Check(!string.IsNullOrWhiteSpace(ModelDirectory), $"{Key}ModelDirectory must name the folder holding the ONNX models.");
        Check(Enum.IsDefined(Detector), $"{Key}Detector must be one of {string.Join(", ", Enum.GetNames<FaceDetectorKind>())}.");
        Check(Enum.IsDefined(EmotionModel), $"{Key}EmotionModel must be one of {string.Join(", ", Enum.GetNames<EmotionModelKind>())}.");
        Check(MaxPayloadBytes is > 0 and <= 64 * 1024 * 1024, $"{Key}MaxPayloadBytes must be between 1 byte and 64 MB.");
        Check(MaxPixels is >= 64 * 64 and <= 100_000_000, $"{Key}MaxPixels must be between 4096 and 100 million.");
        Check(MaxJpegScans is >= 1 and <= 1000, $"{Key}MaxJpegScans must be between 1 and 1000.");
        Check(MaxFaces is >= 1 and <= 64, $"{Key}MaxFaces must be between 1 and 64.");
        Check(MinDetectionScore is > 0 and < 1, $"{Key}MinDetectionScore must be between 0 and 1 (exclusive).");
        Check(NmsIouThreshold is > 0 and < 1, $"{Key}NmsIouThreshold must be between 0 and 1 (exclusive).");
        Check(MinFaceSize is >= 8 and <= 4096, $"{Key}MinFaceSize must be between 8 and 4096 pixels.");
        Check(FaceCropScale is >= 1 and <= 3, $"{Key}FaceCropScale must be between 1 and 3.");
        Check(IntraOpThreads is >= 1 and <= 64, $"{Key}IntraOpThreads must be between 1 and 64.");
        Check(CnnCount is >= 1 and <= MaxCnnCount, $"{Key}CnnCount must be between 1 and {MaxCnnCount} (how many of our CNNs run).");
        Check(SecondCnn is null, $"{Key}SecondCnn is no longer read: set {Key}CnnCount instead (1 = our CNN alone, 2 = also {ShippedCnnFiles[1]}).");
        if (errors.Count > 0 || string.IsNullOrWhiteSpace(ModelDirectory))
        {
            return errors;
        }

        void CheckFile(string setting, string path)
        {
            Check(File.Exists(path), $"{Key}{setting} points to '{Path.GetFullPath(path)}', which does not exist.");
        }

        if (Detector == FaceDetectorKind.BlazeFace)
        {
            CheckFile(nameof(BlazeFaceFile), ResolvePath(BlazeFaceFile));
        }
        else
        {
            CheckFile(nameof(HaarCascadePath), HaarCascadePath);
        }

        if (EmotionModel.UsesXception())
        {
            CheckFile(nameof(XceptionFile), ResolvePath(XceptionFile));
        }

        if (EmotionModel.UsesCnn())
        {
            string[] settings = [nameof(CnnFile), nameof(SecondCnnFile), nameof(ThirdCnnFile)];
            foreach (var (setting, file) in settings.Zip(CnnFiles()))
            {
                CheckFile(setting, ResolvePath(file));
            }
        }

        if (EmotionModel.UsesFaceApi())
        {
            CheckFile(nameof(FaceApiFile), ResolvePath(FaceApiFile));
        }

        if (EmotionModel.UsesHead())
        {
            CheckFile(nameof(HeadFile), ResolvePath(HeadFile));
        }

        if (EmotionModel == EmotionModelKind.Ensemble)
        {
            CheckFile(nameof(EnsembleFile), ResolvePath(EnsembleFile));
        }

        return errors;
    }

    /// <summary>Throws one exception listing every problem, for start-up.</summary>
    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Invalid vision settings: " + string.Join(" ", errors));
        }
    }
}
