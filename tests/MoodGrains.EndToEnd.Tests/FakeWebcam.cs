using System.Diagnostics;

namespace MoodGrains.EndToEnd.Tests;

/// <summary>
/// Turns a still photo into a .y4m clip for Chromium's fake capture device. Y4M because Chromium reads it natively;
/// the MJPEG that ffmpeg writes is not accepted by the fake device.
/// </summary>
internal static class FakeWebcam
{
    public static async Task<string> FromPhotoAsync(string photo, string folder)
    {
        Directory.CreateDirectory(folder);
        var clip = Path.Combine(folder, Path.GetFileNameWithoutExtension(photo) + ".y4m");
        var info = new ProcessStartInfo("ffmpeg")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The filter pads to 4:3 instead of stretching, so the face keeps its proportions for the detector.
        foreach (var arg in new[]
        {
            "-y", "-loglevel", "error", "-loop", "1", "-i", photo, "-t", "2", "-r", "10",
            "-vf", "scale=640:480:force_original_aspect_ratio=decrease,pad=640:480:(ow-iw)/2:(oh-ih)/2,format=yuv420p",
            clip,
        })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("ffmpeg did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? clip
            : throw new InvalidOperationException($"ffmpeg could not make {clip}: {await stderr}");
    }
}
