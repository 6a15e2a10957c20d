using MoodGrains.Training.Vision;
using OpenCvSharp;
using static TorchSharp.torch;

namespace MoodGrains.Training.Torch;

/// <summary>FER-style labelled face crops held in memory as 48x48 grey images, scaled as the network reads them.</summary>
public sealed class FerTensors
{
    private const int Size = EmotionCnnShape.InputSize;

    private FerTensors(float[] pixels, int[] labels, string[] paths)
    {
        Pixels = pixels;
        Labels = labels;
        Paths = paths;
    }

    /// <summary>Count x 48 x 48 values, <see cref="Scale"/>d.</summary>
    public float[] Pixels { get; }

    public int[] Labels { get; }

    public string[] Paths { get; }

    public int Count => Labels.Length;

    /// <summary>The network's input scaling of a 0-255 grey value, as the runtime model applies it.</summary>
    public static float Scale(byte grey) => ((grey / 255f) - 0.5f) * 2f;

    /// <summary>Reads every image of a FER-2013-layout folder (up to <paramref name="limitPerClass"/> per label).</summary>
    public static FerTensors Load(string dir, int limitPerClass = int.MaxValue)
    {
        var samples = FerSamples.Load(dir, limitPerClass);
        var pixels = new float[samples.Count * Size * Size];
        Parallel.For(0, samples.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            using var image = Cv2.ImRead(samples[i].Path, ImreadModes.Grayscale);
            if (image.Empty())
            {
                throw new InvalidDataException($"'{samples[i].Path}' could not be read as an image.");
            }

            using var resized = image.Width == Size && image.Height == Size ? image.Clone() : image.Resize(new OpenCvSharp.Size(Size, Size), interpolation: InterpolationFlags.Area);
            var offset = i * Size * Size;
            for (var y = 0; y < Size; y++)
            {
                for (var x = 0; x < Size; x++)
                {
                    pixels[offset + (y * Size) + x] = Scale(resized.At<byte>(y, x));
                }
            }
        });
        return new FerTensors(pixels, [.. samples.Select(s => s.Label)], [.. samples.Select(s => s.Path)]);
    }

    /// <summary>
    /// A stratified split: <paramref name="fraction"/> of each label's images (at least one where a label has two or
    /// more), drawn with <paramref name="seed"/>, are held out. Returns sorted index lists.
    /// </summary>
    public (int[] Train, int[] Validation) Split(double fraction, int seed)
    {
        var random = new Random(seed);
        var train = new List<int>();
        var validation = new List<int>();
        foreach (var group in Enumerable.Range(0, Count).GroupBy(i => Labels[i]).OrderBy(g => g.Key))
        {
            var indices = group.ToArray();
            random.Shuffle(indices);
            var held = indices.Length < 2 ? 0 : Math.Max(1, (int)Math.Round(indices.Length * fraction));
            validation.AddRange(indices.Take(held));
            train.AddRange(indices.Skip(held));
        }

        train.Sort();
        validation.Sort();
        return ([.. train], [.. validation]);
    }

    /// <summary>The images at <paramref name="indices"/> as a [N,1,48,48] tensor and their labels as [N] int64.</summary>
    public (Tensor Images, Tensor Labels) Batch(ReadOnlySpan<int> indices)
    {
        const int plane = Size * Size;
        var data = new float[indices.Length * plane];
        var labels = new long[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            Array.Copy(Pixels, indices[i] * plane, data, i * plane, plane);
            labels[i] = Labels[indices[i]];
        }

        // Copied into tensors that own their memory: nothing native points into a managed array the GC may move.
        var images = empty([indices.Length, 1, Size, Size]);
        images.data<float>().CopyFrom(data);
        var targets = empty([indices.Length], ScalarType.Int64);
        targets.data<long>().CopyFrom(labels);
        return (images, targets);
    }
}
