using OpenCvSharp;

namespace MoodGrains.Vision.Classification;

/// <summary>mini-Xception alone, with flip averaging and five sub-crops as configured.</summary>
public sealed class XceptionEmotionModel(XceptionNet net, bool flip, bool multiCrop) : IEmotionModel
{
    public float[][] Predict(IReadOnlyList<Mat> faces) => multiCrop ? net.PredictMultiCrop(faces, flip) : net.Predict(faces, flip);

    public void Dispose() => net.Dispose();
}

/// <summary>Our own CNN alone, with flip averaging and five sub-crops as configured.</summary>
public sealed class CnnEmotionModel(CnnNet net, bool flip, bool multiCrop) : IEmotionModel
{
    public float[][] Predict(IReadOnlyList<Mat> faces) => multiCrop ? net.PredictMultiCrop(faces, flip) : net.Predict(faces, flip);

    public void Dispose() => net.Dispose();
}

/// <summary>face-api's expression net alone.</summary>
public sealed class FaceApiEmotionModel(FaceApiNet net, bool flip) : IEmotionModel
{
    public float[][] Predict(IReadOnlyList<Mat> faces) => net.Predict(faces, flip);

    public void Dispose() => net.Dispose();
}

/// <summary>The FER head over face-api's pooled backbone features (see <see cref="EmotionModelFactory"/> for the checks on loading).</summary>
public sealed class FaceApiHeadEmotionModel(FaceApiNet net, EmotionHead head, bool flip) : IEmotionModel
{
    public float[][] Predict(IReadOnlyList<Mat> faces)
    {
        var (_, features) = net.Run(faces, flip);
        return [.. features.Select(p => flip ? FaceViews.Average(head.Predict(p.Plain), head.Predict(p.Mirrored)) : head.Predict(p.Plain))];
    }

    public void Dispose() => net.Dispose();
}

/// <summary>The stacked ensemble over both networks' flip-averaged probabilities (always flip-averaged: it was fitted so).</summary>
public sealed class StackedEnsembleEmotionModel(XceptionNet xception, FaceApiNet faceApi, EnsembleModel ensemble) : IEmotionModel
{
    public float[][] Predict(IReadOnlyList<Mat> faces)
    {
        var x = xception.Predict(faces, flip: true);
        var f = faceApi.Predict(faces, flip: true);
        return [.. x.Select((p, i) => ensemble.Predict(p, f[i]))];
    }

    public void Dispose()
    {
        xception.Dispose();
        faceApi.Dispose();
    }
}

/// <summary>Two or more models combined face by face with <see cref="ProductOfExperts.Combine(IReadOnlyList{float[]})"/>.</summary>
public sealed class ProductOfExpertsModel : IEmotionModel
{
    private readonly IEmotionModel[] _experts;

    public ProductOfExpertsModel(params IEmotionModel[] experts)
    {
        if (experts.Length < 2)
        {
            throw new ArgumentException("A product of experts needs at least two models.", nameof(experts));
        }

        _experts = experts;
    }

    public float[][] Predict(IReadOnlyList<Mat> faces)
    {
        var opinions = Array.ConvertAll(_experts, e => e.Predict(faces));
        var result = new float[faces.Count][];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = ProductOfExperts.Combine(Array.ConvertAll(opinions, o => o[i]));
        }

        return result;
    }

    public void Dispose()
    {
        foreach (var expert in _experts)
        {
            expert.Dispose();
        }
    }
}
