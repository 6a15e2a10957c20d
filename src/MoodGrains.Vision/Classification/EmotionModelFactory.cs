namespace MoodGrains.Vision.Classification;

/// <summary>Builds the <see cref="IEmotionModel"/> that <see cref="VisionOptions.EmotionModel"/> names, loading only its files.</summary>
public static class EmotionModelFactory
{
    public static IEmotionModel Create(VisionOptions options)
    {
        var flip = options.FlipAveraging;
        Func<IEmotionModel> xception = () => new XceptionEmotionModel(Xception(options), flip, options.MultiCrop);

        // The head with flips only: five crops of the 112x112 face-api input would cost five times the whole
        // classifier for the head alone.
        Func<IEmotionModel> head = () => Head(options);
        return options.EmotionModel switch
        {
            EmotionModelKind.Xception => xception(),
            EmotionModelKind.FaceApi => new FaceApiEmotionModel(FaceApi(options), flip),
            EmotionModelKind.FaceApiHead => head(),
            EmotionModelKind.XceptionAndHead => Combine(xception, head),
            EmotionModelKind.Cnn when options.CnnCount == 1 => CnnExperts(options)[0](),
            EmotionModelKind.Cnn => Combine(CnnExperts(options)),
            EmotionModelKind.CnnAndXception => Combine([.. CnnExperts(options), xception]),
            EmotionModelKind.CnnAndHead => Combine([.. CnnExperts(options), head]),
            EmotionModelKind.CnnXceptionAndHead => Combine([.. CnnExperts(options), xception, head]),
            _ => Ensemble(options),
        };
    }

    public static XceptionNet Xception(VisionOptions options) => new(options.ResolvePath(options.XceptionFile), options.IntraOpThreads);

    public static CnnNet Cnn(VisionOptions options) => new(options.ResolvePath(options.CnnFile), options.IntraOpThreads);

    /// <summary>Our CNNs (<see cref="VisionOptions.CnnFiles"/>), each with the configured test-time augmentation.</summary>
    private static Func<IEmotionModel>[] CnnExperts(VisionOptions options) =>
    [
        .. options.CnnFiles().Select(file => (Func<IEmotionModel>)(() =>
            new CnnEmotionModel(new CnnNet(options.ResolvePath(file), options.IntraOpThreads), options.FlipAveraging, options.MultiCrop))),
    ];

    public static FaceApiNet FaceApi(VisionOptions options) => new(options.ResolvePath(options.FaceApiFile), options.IntraOpThreads);

    /// <summary>Reads the head file and checks it against the face-api model's 'features' output.</summary>
    public static EmotionHead LoadHead(VisionOptions options, FaceApiNet faceApi)
    {
        var path = options.ResolvePath(options.HeadFile);
        var head = EmotionHead.Load(path);
        if (faceApi.FeatureCount == 0)
        {
            throw new InvalidDataException($"'{faceApi.Path}' has no 'features' output for the head; rebuild it with models/convert/rebuild.sh.");
        }

        if (faceApi.FeatureCount != head.FeatureCount)
        {
            throw new InvalidDataException($"'{path}' reads {head.FeatureCount} features but the face-api model gives {faceApi.FeatureCount}.");
        }

        return head;
    }

    private static FaceApiHeadEmotionModel Head(VisionOptions options)
    {
        var faceApi = FaceApi(options);
        try
        {
            return new FaceApiHeadEmotionModel(faceApi, LoadHead(options, faceApi), options.FlipAveraging);
        }
        catch
        {
            faceApi.Dispose();
            throw;
        }
    }

    private static StackedEnsembleEmotionModel Ensemble(VisionOptions options)
    {
        var xception = Xception(options);
        FaceApiNet? faceApi = null;
        try
        {
            faceApi = FaceApi(options);
            return new StackedEnsembleEmotionModel(xception, faceApi, EnsembleModel.Load(options.ResolvePath(options.EnsembleFile)));
        }
        catch
        {
            xception.Dispose();
            faceApi?.Dispose();
            throw;
        }
    }

    /// <summary>Builds each expert in turn; if one fails to load, those already built are disposed.</summary>
    private static ProductOfExpertsModel Combine(params Func<IEmotionModel>[] experts)
    {
        var built = new List<IEmotionModel>(experts.Length);
        try
        {
            foreach (var expert in experts)
            {
                built.Add(expert());
            }

            return new ProductOfExpertsModel([.. built]);
        }
        catch
        {
            built.ForEach(m => m.Dispose());
            throw;
        }
    }
}
