using System.Diagnostics;
using MoodGrains.Vision.Imaging;
using OpenCvSharp;

namespace MoodGrains.Vision.Tests;

/// <summary>The marker walk that counts a JPEG's scans and reads its size before anything decodes it.</summary>
public sealed class JpegStructureTests
{
    [Fact]
    public void A_baseline_jpeg_has_one_scan_and_its_real_size()
    {
        using var scene = TestImages.NoFaceScene(640, 480);

        Assert.True(JpegStructure.TryRead(TestImages.Jpeg(scene), out var jpeg));

        Assert.Equal(new JpegStructure(640, 480, Progressive: false, Scans: 1), jpeg);
    }

    [Fact]
    public void A_standard_progressive_jpeg_stays_within_the_default_scan_limit()
    {
        using var scene = TestImages.NoFaceScene(640, 480);
        Cv2.ImEncode(".jpg", scene, out var bytes, new ImageEncodingParam(ImwriteFlags.JpegProgressive, 1));

        Assert.True(JpegStructure.TryRead(bytes, out var jpeg));

        Assert.True(jpeg.Progressive);
        Assert.InRange(jpeg.Scans, 2, new VisionOptions().MaxJpegScans);
        Assert.Equal((640, 480), (jpeg.Width, jpeg.Height));
    }

    [Fact]
    public void Every_scan_of_a_many_scan_progressive_jpeg_is_counted_and_stuffed_bytes_and_restarts_are_not_markers()
    {
        var bomb = ManyScanJpeg(4096, 4096, scans: 7_527);

        Assert.True(JpegStructure.TryRead(bomb, out var jpeg));

        Assert.Equal(new JpegStructure(4096, 4096, Progressive: true, Scans: 7_527), jpeg);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xD9 })] // no frame header
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08, 1, 1, 0, 0, 0x3F, 0, 0xFF, 0xD9 })] // scan before frame
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x40, 0x08 })] // segment longer than the data
    [InlineData(new byte[] { 0xFF, 0xD8, 0x12, 0x34, 0x56, 0x78 })] // not a marker
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47 })] // not a JPEG
    public void Malformed_marker_sequences_are_refused(byte[] bytes)
    {
        Assert.False(JpegStructure.TryRead(bytes, out _));
    }

    [Fact]
    public void A_megabyte_of_random_bytes_behind_a_jpeg_signature_is_walked_in_milliseconds()
    {
        var bytes = new byte[1024 * 1024];
        new Random(7).NextBytes(bytes);
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 10; i++)
        {
            JpegStructure.TryRead(bytes, out _);
        }

        Assert.InRange(watch.ElapsedMilliseconds, 0, 500);
    }

    /// <summary>
    /// A progressive JPEG's marker layout with <paramref name="scans"/> tiny scans, like the 520 KB file that took 25 s
    /// to decode: SOI, SOF2, then one DC scan header after another, each with a little entropy-coded data that holds
    /// a stuffed 0xFF00 and a restart marker, then EOI.
    /// </summary>
    internal static byte[] ManyScanJpeg(int width, int height, int scans)
    {
        var bytes = new List<byte> { 0xFF, 0xD8 };
        bytes.AddRange([0xFF, 0xC2, 0x00, 0x11, 0x08, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]);
        for (var i = 0; i < scans; i++)
        {
            bytes.AddRange([0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]);
            bytes.AddRange([0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD3, 0x56]);
        }

        bytes.AddRange([0xFF, 0xD9]);
        return [.. bytes];
    }
}
