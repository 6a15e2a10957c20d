using MoodGrains.Vision;
using MoodGrains.Vision.Classification;
using OpenCvSharp;

namespace MoodGrains.Training.Vision;

/// <summary>Every model's opinion of one face, each in canonical emotion order (for evaluation and fitting).</summary>
/// <param name="XceptionTenCrop">mini-Xception averaged over five sub-crops and their mirrors.</param>
/// <param name="Head">the face-api head's probabilities averaged with the mirror image's, when the head is loaded.</param>
public sealed record ModelScores(
    float[] Xception,
    float[] XceptionFlip,
    float[] XceptionTenCrop,
    float[] FaceApi,
    float[] FaceApiFlip,
    float[]? Ensemble,
    float[]? Head);

/// <summary>
/// Both networks, and the ensemble and the head when their files exist (they do not yet while being fitted), run side
/// by side so one pass over a data set scores every configuration. Thread-safe.
/// </summary>
public sealed class ModelScorer : IDisposable
{
    private readonly XceptionNet _xception;
    private readonly FaceApiNet _faceApi;
    private readonly EnsembleModel? _ensemble;
    private readonly EmotionHead? _head;

    public ModelScorer(VisionOptions options)
    {
        _xception = EmotionModelFactory.Xception(options);
        try
        {
            _faceApi = EmotionModelFactory.FaceApi(options);
            var ensemblePath = options.ResolvePath(options.EnsembleFile);
            _ensemble = File.Exists(ensemblePath) ? EnsembleModel.Load(ensemblePath) : null;
            _head = File.Exists(options.ResolvePath(options.HeadFile)) ? EmotionModelFactory.LoadHead(options, _faceApi) : null;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public bool HasEnsemble => _ensemble is not null;

    public bool HasHead => _head is not null;

    /// <summary>Every model, with and without flip averaging, plus the ensemble and the head when loaded.</summary>
    public ModelScores[] ScoreAll(IReadOnlyList<Mat> faces)
    {
        var x = _xception.Run(faces, flip: true);
        var tenCrop = _xception.PredictMultiCrop(faces, flip: true);
        var (f, features) = _faceApi.Run(faces, flip: true);
        var result = new ModelScores[faces.Count];
        for (var i = 0; i < faces.Count; i++)
        {
            var xFlip = x[i].Averaged;
            var fFlip = f[i].Averaged;
            var head = _head is null ? null : FaceViews.Average(_head.Predict(features[i].Plain), _head.Predict(features[i].Mirrored));
            result[i] = new ModelScores(x[i].Plain, xFlip, tenCrop[i], f[i].Plain, fFlip, _ensemble?.Predict(xFlip, fFlip), head);
        }

        return result;
    }

    /// <summary>Scores a whole labelled set, decoding on <paramref name="threads"/> threads (an unreadable image scores as empty input).</summary>
    public ModelScores[] ScoreAll(List<(string Path, int Label)> samples, int threads, CancellationToken cancellationToken)
    {
        var scores = new ModelScores[samples.Count];
        FerSamples.DecodeInBatches(samples, threads, 5000, n => $"  scored {n}/{samples.Count}", cancellationToken,
            (from, mats) => ScoreAll(mats).CopyTo(scores, from));
        return scores;
    }

    /// <summary>face-api's pooled backbone features of each face and of its mirror image (what the head is fitted on).</summary>
    public FaceViews[] FaceApiFeatures(IReadOnlyList<Mat> faces) => _faceApi.Run(faces, flip: true).Features;

    public void Dispose()
    {
        _xception?.Dispose();
        _faceApi?.Dispose();
    }
}
