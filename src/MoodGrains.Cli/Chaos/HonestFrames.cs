using MoodGrains.Cli.Load;
using OpenCvSharp;

namespace MoodGrains.Cli.Chaos;

/// <summary>The frame an honest member sends: a face photo from the shared data when present, else a plain picture.</summary>
internal static class HonestFrames
{
    public static byte[] Load()
    {
        if (LoadFrames.FindDefaultDirectory() is { } directory)
        {
            var frames = LoadFrames.Load(directory);
            if (frames.Count > 0)
            {
                return frames[0].Jpeg;
            }
        }

        // Without faces the frame is still decoded and searched for faces (a NoFace answer): the same work, timed the same.
        using var picture = new Mat(240, 320, MatType.CV_8UC3);
        Cv2.Randu(picture, new Scalar(0, 0, 0), new Scalar(255, 255, 255));
        Cv2.GaussianBlur(picture, picture, new Size(15, 15), 0);
        Cv2.ImEncode(".jpg", picture, out var jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, 80));
        return jpeg;
    }
}
