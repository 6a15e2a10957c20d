using OpenCvSharp;

namespace MoodGrains.Cli;

/// <summary>Turns a photo into what the web page sends: centre-cropped to the frame's aspect ratio, scaled, JPEG-encoded.</summary>
internal static class WebcamFrame
{
    public static byte[] FromPhoto(string path, int width, int height, int jpegQuality)
    {
        using var source = Cv2.ImRead(path, ImreadModes.Color);
        if (source.Empty())
        {
            throw new InvalidDataException($"{path} is not an image OpenCV can read.");
        }

        var targetAspect = (double)width / height;
        var cropWidth = source.Width;
        var cropHeight = source.Height;
        if ((double)source.Width / source.Height > targetAspect)
        {
            cropWidth = (int)(source.Height * targetAspect);
        }
        else
        {
            cropHeight = (int)(source.Width / targetAspect);
        }

        using var cropped = new Mat(source, new Rect((source.Width - cropWidth) / 2, (source.Height - cropHeight) / 2, cropWidth, cropHeight));
        using var frame = new Mat();
        Cv2.Resize(cropped, frame, new Size(width, height), 0, 0, InterpolationFlags.Area);
        Cv2.ImEncode(".jpg", frame, out var jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, jpegQuality));
        return jpeg;
    }
}
