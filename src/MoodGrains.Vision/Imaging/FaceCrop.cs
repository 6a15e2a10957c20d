using OpenCvSharp;

namespace MoodGrains.Vision.Imaging;

internal static class FaceCrop
{
    /// <summary>
    /// A square around the box centre, <paramref name="scale"/> times its longer side. Parts outside the frame are
    /// filled by repeating the edge pixels: a black border would read as a different face to the classifier.
    /// </summary>
    public static Mat Square(Mat frame, FaceBox box, float scale)
    {
        var side = Math.Max(1, (int)MathF.Round(Math.Max(box.Width, box.Height) * scale));
        var cx = box.X + (box.Width / 2);
        var cy = box.Y + (box.Height / 2);
        var want = new Rect((int)MathF.Round(cx - (side / 2f)), (int)MathF.Round(cy - (side / 2f)), side, side);
        var have = want & new Rect(0, 0, frame.Width, frame.Height);
        if (have.Width <= 0 || have.Height <= 0)
        {
            throw new InvalidOperationException("The face box lies outside the frame.");
        }

        using var inside = new Mat(frame, have);
        if (have == want)
        {
            return inside.Clone();
        }

        var result = new Mat();
        Cv2.CopyMakeBorder(inside, result, have.Y - want.Y, want.Bottom - have.Bottom, have.X - want.X, want.Right - have.Right, BorderTypes.Replicate);
        return result;
    }
}
