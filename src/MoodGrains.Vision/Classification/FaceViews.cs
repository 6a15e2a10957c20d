using OpenCvSharp;

namespace MoodGrains.Vision.Classification;

/// <summary>A network's output for one face and for its mirror image (the same array twice when not mirrored).</summary>
public readonly record struct FaceViews(float[] Plain, float[] Mirrored)
{
    /// <summary>The mean of both views: flip averaging.</summary>
    public float[] Averaged => Average(Plain, Mirrored);

    public float[] Pick(bool flip) => flip ? Averaged : Plain;

    public static float[] Average(float[] a, float[] b)
    {
        var result = new float[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            result[i] = (a[i] + b[i]) * 0.5f;
        }

        return result;
    }

    internal delegate void Reorder(ReadOnlySpan<float> source, Span<float> canonical);

    /// <summary>Cuts a batched output of <paramref name="copies"/> rows per face into one pair per face.</summary>
    internal static FaceViews[] Split(float[] output, int faces, int copies, int width, Reorder reorder)
    {
        var result = new FaceViews[faces];
        for (var i = 0; i < faces; i++)
        {
            var plain = new float[width];
            reorder(output.AsSpan(i * copies * width, width), plain);
            var mirrored = plain;
            if (copies == 2)
            {
                mirrored = new float[width];
                reorder(output.AsSpan(((i * 2) + 1) * width, width), mirrored);
            }

            result[i] = new FaceViews(plain, mirrored);
        }

        return result;
    }

    /// <summary>
    /// Stretches the whole crop to the model's square input: FER-2013 faces are already framed, and padding or
    /// cutting them costs accuracy.
    /// </summary>
    internal static Mat ResizeTo(Mat face, int size)
    {
        var resized = new Mat();
        var shrinking = face.Width > size || face.Height > size;
        Cv2.Resize(face, resized, new Size(size, size), 0, 0, shrinking ? InterpolationFlags.Area : InterpolationFlags.Linear);
        return resized;
    }
}
