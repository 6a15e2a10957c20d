using MoodGrains.Testing;
using OpenCvSharp;

namespace MoodGrains.Vision.Tests;

internal static class TestImages
{
    public static string Photo(string name) =>
        SharedData.PathOf(Path.Combine("expression-photos", name)) ?? throw new InvalidOperationException(SharedData.MissingReason);

    public static byte[] Jpeg(Mat image, int quality = 90)
    {
        Cv2.ImEncode(".jpg", image, out var bytes, new ImageEncodingParam(ImwriteFlags.JpegQuality, quality));
        return bytes;
    }

    public static byte[] Encode(Mat image, string extension)
    {
        Cv2.ImEncode(extension, image, out var bytes);
        return bytes;
    }

    /// <summary>A frame with shapes, text and gradients but no face.</summary>
    public static Mat NoFaceScene(int width = 640, int height = 480)
    {
        var image = new Mat(height, width, MatType.CV_8UC3);
        for (var y = 0; y < height; y += 4)
        {
            Cv2.Rectangle(image, new Rect(0, y, width, 4), new Scalar(40 + (y * 150 / height), 90, 200 - (y * 150 / height)), -1);
        }

        Cv2.Rectangle(image, new Rect(50, 60, 180, 120), new Scalar(20, 200, 20), -1);
        Cv2.Circle(image, new Point(420, 260), 90, new Scalar(230, 230, 230), -1);
        Cv2.PutText(image, "no faces here", new Point(60, 400), HersheyFonts.HersheySimplex, 1.5, new Scalar(0, 0, 0), 3);
        return image;
    }

    /// <summary>The photo's largest face, cropped square with some margin, as found by Haar (independent of BlazeFace).</summary>
    public static Mat FaceOf(string photoName)
    {
        using var photo = Cv2.ImRead(Photo(photoName), ImreadModes.Color);
        using var gray = photo.CvtColor(ColorConversionCodes.BGR2GRAY);
        using var cascade = new CascadeClassifier("/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml");
        var face = cascade.DetectMultiScale(gray, 1.1, 5, minSize: new Size(40, 40)).OrderByDescending(r => r.Width).First();
        var side = (int)(face.Width * 1.6);
        var rect = new Rect(face.X + (face.Width / 2) - (side / 2), face.Y + (face.Height / 2) - (side / 2), side, side)
            & new Rect(0, 0, photo.Width, photo.Height);
        return new Mat(photo, rect).Clone();
    }
}
