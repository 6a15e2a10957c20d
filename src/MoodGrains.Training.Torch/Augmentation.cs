using static TorchSharp.torch;

namespace MoodGrains.Training.Torch;

/// <summary>
/// Random geometry for a training batch, in one resampling: a mirror with probability one half, a rotation, a scale
/// and a shift (the shift plays the part of the usual "pad 4, crop 48" random crop). Edges are replicated, as
/// <c>FaceCrop.Square</c> replicates them at run time.
/// </summary>
public sealed record Augmentation(double MaxRotationDegrees, double MaxScale, double MaxShiftPixels)
{
    public static Augmentation Default { get; } = new(10, 0.1, 4);

    public Tensor Apply(Tensor images, Random random)
    {
        var n = (int)images.shape[0];
        var size = images.shape[3];
        var theta = new float[n * 6];
        for (var i = 0; i < n; i++)
        {
            var angle = Uniform(random, MaxRotationDegrees) * Math.PI / 180;
            var scale = 1 + Uniform(random, MaxScale);
            var mirror = random.Next(2) == 0 ? 1.0 : -1.0;

            // affine_grid maps output to input coordinates in [-1,1]; half the side is one unit.
            var shiftX = Uniform(random, MaxShiftPixels) * 2 / size;
            var shiftY = Uniform(random, MaxShiftPixels) * 2 / size;
            var (sin, cos) = Math.SinCos(angle);
            theta[(i * 6) + 0] = (float)(mirror * cos / scale);
            theta[(i * 6) + 1] = (float)(-sin / scale);
            theta[(i * 6) + 2] = (float)shiftX;
            theta[(i * 6) + 3] = (float)(mirror * sin / scale);
            theta[(i * 6) + 4] = (float)(cos / scale);
            theta[(i * 6) + 5] = (float)shiftY;
        }

        using var affine = empty([n, 2, 3]);
        affine.data<float>().CopyFrom(theta);
        using var grid = nn.functional.affine_grid(affine, [n, 1, size, size], align_corners: false);
        return nn.functional.grid_sample(images, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false);
    }

    public override string ToString() => $"mirror 1/2, rotation +-{MaxRotationDegrees} deg, scale +-{MaxScale}, shift +-{MaxShiftPixels} px, edges replicated";

    private static double Uniform(Random random, double max) => ((random.NextDouble() * 2) - 1) * max;
}
