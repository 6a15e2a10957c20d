using System.Buffers.Binary;
using System.Text;
using MoodGrains.Testing;
using OpenCvSharp;

namespace MoodGrains.Vision.Tests;

/// <summary>Whatever bytes a browser sends, Analyze answers with a typed status and never throws.</summary>
[Collection(VisionCollection.Name)]
public sealed class BadInputTests(VisionFixture fixture)
{
    private FrameAnalyzer Analyzer => fixture.Analyzer;

    [Fact]
    public void Empty_bytes_are_reported_as_empty()
    {
        var result = Analyzer.Analyze([]);

        Assert.Equal(FrameStatus.Empty, result.Status);
        Assert.Empty(result.Faces);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public void A_truncated_jpeg_is_undecodable()
    {
        using var scene = TestImages.NoFaceScene();
        var jpeg = TestImages.Jpeg(scene);

        foreach (var length in new[] { 3, 20, 200, jpeg.Length / 2, jpeg.Length - 10 })
        {
            var result = Analyzer.Analyze(jpeg.AsSpan(0, length));
            Assert.Equal(FrameStatus.Undecodable, result.Status);
            Assert.NotNull(result.Detail);
        }
    }

    [Theory]
    [InlineData(FrameStatus.Undecodable)]
    [InlineData(FrameStatus.Faulted)]
    public void A_decoder_exception_reaches_the_sender_as_a_fixed_sentence_and_the_logs_as_itself(FrameStatus status)
    {
        var error = new InvalidOperationException("OpenCV(4.10.0) /build/opencv/modules/imgcodecs/src/loadsave.cpp:1012: error: (-215:Assertion failed) buf.checkVector(1, CV_8U) > 0");

        var result = FrameAnalysis.FromException(status, error);

        Assert.Equal(status, result.Status);
        Assert.Same(error, result.Error);
        Assert.NotNull(result.Detail);
        Assert.DoesNotContain("OpenCV", result.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("/", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_bytes_are_not_an_image()
    {
        var random = new Random(1234);
        for (var i = 0; i < 20; i++)
        {
            var bytes = new byte[random.Next(1, 50_000)];
            random.NextBytes(bytes);

            var result = Analyzer.Analyze(bytes);

            Assert.Contains(result.Status, new[] { FrameStatus.UnsupportedFormat, FrameStatus.Undecodable });
        }
    }

    [Fact]
    public void Random_bytes_behind_a_valid_signature_are_undecodable()
    {
        var random = new Random(99);
        foreach (var signature in new byte[][] { [0xFF, 0xD8, 0xFF], [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "RIFF\0\0\0\0WEBP"u8.ToArray() })
        {
            var bytes = new byte[4000];
            random.NextBytes(bytes);
            signature.CopyTo(bytes, 0);
            bytes[^2] = 0xFF;
            bytes[^1] = 0xD9;

            var result = Analyzer.Analyze(bytes);

            Assert.Equal(FrameStatus.Undecodable, result.Status);
        }
    }

    [Fact]
    public void A_progressive_jpeg_with_thousands_of_scans_is_refused_before_decoding()
    {
        var bomb = JpegStructureTests.ManyScanJpeg(1024, 1024, scans: 7_527);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var result = Analyzer.Analyze(bomb);

        Assert.Equal(FrameStatus.TooComplex, result.Status);
        Assert.Contains("7527 scans", result.Detail, StringComparison.Ordinal);
        Assert.Equal(0, result.Width); // never decoded
        Assert.InRange(watch.ElapsedMilliseconds, 0, 1000);
    }

    [Fact]
    public void A_standard_progressive_jpeg_is_still_analysed()
    {
        using var scene = TestImages.NoFaceScene();
        Cv2.ImEncode(".jpg", scene, out var progressive, new ImageEncodingParam(ImwriteFlags.JpegProgressive, 1));

        var result = Analyzer.Analyze(progressive);

        Assert.Equal(FrameStatus.NoFace, result.Status);
        Assert.Equal(640, result.Width);
    }

    [Fact]
    public void A_megabyte_of_random_bytes_is_refused_at_once()
    {
        var bytes = new byte[1024 * 1024];
        new Random(5).NextBytes(bytes);
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        bytes[2] = 0xFF;
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var result = Analyzer.Analyze(bytes);

        Assert.Equal(FrameStatus.TooLarge, result.Status);
        Assert.InRange(watch.ElapsedMilliseconds, 0, 200);
    }

    [Fact]
    public void A_text_file_is_an_unsupported_format()
    {
        var text = Encoding.UTF8.GetBytes("<html><body>Hello, this is not a webcam frame.</body></html>\n");

        var result = Analyzer.Analyze(text);

        Assert.Equal(FrameStatus.UnsupportedFormat, result.Status);
    }

    [Fact]
    public void A_png_claiming_50000_by_50000_pixels_is_refused_before_decoding()
    {
        var bomb = PngHeader(50_000, 50_000);

        var result = Analyzer.Analyze(bomb);

        Assert.Equal(FrameStatus.DimensionsTooLarge, result.Status);
        Assert.Contains("50000x50000", result.Detail);
    }

    [Fact]
    public void Jpeg_and_webp_headers_claiming_huge_sizes_are_refused_before_decoding()
    {
        using var small = TestImages.NoFaceScene(64, 48);
        var jpeg = TestImages.Jpeg(small);
        var sof = FindSofOffset(jpeg);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 5), 60000);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 7), 60000);
        byte[] webp = [.. "RIFF"u8, 0, 0, 0, 0, .. "WEBPVP8X"u8, 10, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0];

        Assert.Equal(FrameStatus.DimensionsTooLarge, Analyzer.Analyze(jpeg).Status);
        Assert.Equal(FrameStatus.DimensionsTooLarge, Analyzer.Analyze(webp).Status);
    }

    [Fact]
    public void A_payload_over_the_limit_is_refused_unread()
    {
        var options = VisionFixture.DefaultOptions();
        var oversized = new byte[options.MaxPayloadBytes + 1];
        using var scene = TestImages.NoFaceScene();
        TestImages.Jpeg(scene).CopyTo(oversized, 0);

        var result = Analyzer.Analyze(oversized);

        Assert.Equal(FrameStatus.TooLarge, result.Status);
    }

    [Theory]
    [InlineData(".jpg")]
    [InlineData(".png")]
    [InlineData(".webp")]
    public void A_frame_without_a_face_reports_no_face(string format)
    {
        using var scene = TestImages.NoFaceScene();

        var result = Analyzer.Analyze(TestImages.Encode(scene, format));

        Assert.Equal(FrameStatus.NoFace, result.Status);
        Assert.Equal(640, result.Width);
        Assert.Equal(480, result.Height);
        Assert.Empty(result.Faces);
    }

    [SharedDataFact]
    public void Thirty_faces_are_capped_at_the_limit_and_flagged()
    {
        using var face = TestImages.FaceOf("happy.jpg");
        using var tile = face.Resize(new Size(120, 120));
        using var grid = new Mat(5 * 120, 6 * 120, MatType.CV_8UC3);
        for (var row = 0; row < 5; row++)
        {
            for (var col = 0; col < 6; col++)
            {
                using var cell = new Mat(grid, new Rect(col * 120, row * 120, 120, 120));
                tile.CopyTo(cell);
            }
        }

        var bytes = TestImages.Jpeg(grid, 85);
        var options = VisionFixture.DefaultOptions();
        options.MaxFaces = 8;
        using var analyzer = new FrameAnalyzer(options);

        var result = analyzer.Analyze(bytes);

        Assert.Equal(FrameStatus.Ok, result.Status);
        Assert.True(result.FacesCapped);
        Assert.Equal(8, result.Faces.Count);
        Assert.All(result.Faces, f => Assert.InRange(f.Box.Width, 40, 200));
    }

    private static byte[] PngHeader(uint width, uint height)
    {
        var bytes = new byte[8 + 25];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8), 13);
        "IHDR"u8.CopyTo(bytes.AsSpan(12));
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(16), width);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(20), height);
        bytes[24] = 8; // bit depth
        bytes[25] = 2; // truecolour
        return bytes;
    }

    private static int FindSofOffset(byte[] jpeg)
    {
        for (var i = 2; i < jpeg.Length - 1; i++)
        {
            if (jpeg[i] == 0xFF && jpeg[i + 1] is 0xC0 or 0xC2)
            {
                return i;
            }
        }

        throw new InvalidOperationException("no SOF marker");
    }
}
