using MoodGrains.Mood;
using OpenCvSharp;

namespace MoodGrains.Training.Vision;

/// <summary>A folder-per-label set of face crops in FER-2013's layout (angry/, disgust/, ... neutral/).</summary>
public static class FerSamples
{
    /// <summary>Up to <paramref name="limitPerClass"/> images of each label folder, in ordinal file-name order.</summary>
    public static List<(string Path, int Label)> Load(string dir, int limitPerClass)
    {
        var samples = new List<(string, int)>();
        for (var label = 0; label < Emotions.Count; label++)
        {
            var folder = System.IO.Path.Combine(dir, Emotions.Names[label]);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            samples.AddRange(Directory.EnumerateFiles(folder)
                .Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".png", StringComparison.OrdinalIgnoreCase)
                    || f.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".webp", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .Take(limitPerClass)
                .Select(f => (f, label)));
        }

        return samples;
    }

    /// <summary>
    /// Decodes the images 32 at a time on <paramref name="threads"/> threads and hands each batch (the index of its
    /// first image and the decoded images, an empty Mat for one OpenCV could not read) to <paramref name="work"/>,
    /// printing progress every <paramref name="progressEvery"/> images. Returns how many images could not be read.
    /// </summary>
    public static int DecodeInBatches(
        List<(string Path, int Label)> samples, int threads, int progressEvery, Func<int, string> progress,
        CancellationToken cancellationToken, Action<int, List<Mat>> work)
    {
        const int batch = 32;
        var batches = (samples.Count + batch - 1) / batch;
        var done = 0;
        var failed = 0;
        Parallel.For(0, batches, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, b =>
        {
            var from = b * batch;
            var count = Math.Min(batch, samples.Count - from);
            var mats = new List<Mat>(count);
            try
            {
                for (var i = 0; i < count; i++)
                {
                    var mat = Cv2.ImDecode(File.ReadAllBytes(samples[from + i].Path), ImreadModes.Color);
                    if (mat.Empty())
                    {
                        Interlocked.Increment(ref failed);
                    }

                    mats.Add(mat);
                }

                work(from, mats);
            }
            finally
            {
                mats.ForEach(m => m.Dispose());
            }

            var finished = Interlocked.Add(ref done, count);
            if (finished / progressEvery != (finished - count) / progressEvery)
            {
                Console.Error.WriteLine(progress(finished));
            }
        });
        return failed;
    }
}
