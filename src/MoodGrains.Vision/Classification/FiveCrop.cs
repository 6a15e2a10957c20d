using MoodGrains.Mood;
using OpenCvSharp;

namespace MoodGrains.Vision.Classification;

/// <summary>
/// The "ten-crop" test-time augmentation of the gray networks: each face is averaged over five sub-crops (four
/// corners and centre, each 11/12 of the side), and over their mirror images when asked.
/// </summary>
internal static class FiveCrop
{
    private const int Views = 5;

    /// <param name="run">the network's batched run: each crop's probabilities and those of its mirror image.</param>
    public static float[][] Predict(IReadOnlyList<Mat> faces, bool flip, Func<IReadOnlyList<Mat>, bool, FaceViews[]> run)
    {
        var crops = new List<Mat>(faces.Count * Views);
        try
        {
            foreach (var face in faces)
            {
                // 44 of 48 pixels on FER-2013's crops: the sub-crop size used by the ten-crop evaluations in the FER literature.
                var w = Math.Max(1, (int)MathF.Round(face.Width * 11f / 12f));
                var h = Math.Max(1, (int)MathF.Round(face.Height * 11f / 12f));
                int dx = face.Width - w, dy = face.Height - h;
                foreach (var (x, y) in new[] { (0, 0), (dx, 0), (0, dy), (dx, dy), (dx / 2, dy / 2) })
                {
                    crops.Add(new Mat(face, new Rect(x, y, w, h)));
                }
            }

            var pairs = run(crops, flip);
            var result = new float[faces.Count][];
            var count = flip ? 2 * Views : Views;
            for (var i = 0; i < faces.Count; i++)
            {
                var sum = new float[Emotions.Count];
                for (var v = 0; v < Views; v++)
                {
                    var (plain, mirrored) = pairs[(i * Views) + v];
                    for (var k = 0; k < Emotions.Count; k++)
                    {
                        sum[k] += plain[k] + (flip ? mirrored[k] : 0);
                    }
                }

                for (var k = 0; k < Emotions.Count; k++)
                {
                    sum[k] /= count;
                }

                result[i] = sum;
            }

            return result;
        }
        finally
        {
            crops.ForEach(c => c.Dispose());
        }
    }
}
