using MoodGrains.Vision.Classification;
using OpenCvSharp;

namespace MoodGrains.Vision.Tests;

public sealed class EmotionModelTests
{
    [Fact]
    public void The_product_of_experts_model_combines_each_face_of_both_models_and_disposes_both()
    {
        var first = new FixedModel([[0.7f, 0.05f, 0.05f, 0.05f, 0.05f, 0.05f, 0.05f], [0.1f, 0.1f, 0.1f, 0.4f, 0.1f, 0.1f, 0.1f]]);
        var second = new FixedModel([[0.2f, 0.5f, 0.1f, 0.05f, 0.05f, 0.05f, 0.05f], [0.05f, 0.05f, 0.05f, 0.7f, 0.05f, 0.05f, 0.05f]]);
        using var faces = new Mat(8, 8, MatType.CV_8UC1);

        float[][] result;
        using (var model = new ProductOfExpertsModel(first, second))
        {
            result = model.Predict([faces, faces]);
        }

        Assert.Equal(2, result.Length);
        Assert.Equal(ProductOfExperts.Combine(first.Output[0], second.Output[0]), result[0]);
        Assert.Equal(ProductOfExperts.Combine(first.Output[1], second.Output[1]), result[1]);
        Assert.True(first.Disposed && second.Disposed);
    }

    [Fact]
    public void The_factory_builds_the_configured_model_kind()
    {
        var options = VisionFixture.DefaultOptions();
        options.EmotionModel = EmotionModelKind.XceptionAndHead;
        using (var model = EmotionModelFactory.Create(options))
        {
            Assert.IsType<ProductOfExpertsModel>(model);
        }

        options.EmotionModel = EmotionModelKind.Xception;
        using (var model = EmotionModelFactory.Create(options))
        {
            Assert.IsType<XceptionEmotionModel>(model);
        }

        options.EmotionModel = EmotionModelKind.FaceApiHead;
        using (var model = EmotionModelFactory.Create(options))
        {
            Assert.IsType<FaceApiHeadEmotionModel>(model);
        }
    }

    private sealed class FixedModel(float[][] output) : IEmotionModel
    {
        public float[][] Output => output;

        public bool Disposed { get; private set; }

        public float[][] Predict(IReadOnlyList<Mat> faces) => output;

        public void Dispose() => Disposed = true;
    }
}
