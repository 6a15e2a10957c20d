using MoodGrains.Vision.Imaging;

namespace MoodGrains.Vision.Tests;

public sealed class ImageHeaderTests
{
    [Theory]
    [InlineData(".jpg", ImageFormat.Jpeg)]
    [InlineData(".png", ImageFormat.Png)]
    [InlineData(".webp", ImageFormat.WebP)]
    public void Reads_the_size_that_the_encoder_wrote(string extension, ImageFormat format)
    {
        using var image = TestImages.NoFaceScene(333, 211);
        var bytes = TestImages.Encode(image, extension);

        Assert.True(ImageHeader.TryRead(bytes, out var header));
        Assert.Equal(new ImageHeader(format, 333, 211), header);
    }

    [Fact]
    public void Reads_lossless_webp()
    {
        using var image = TestImages.NoFaceScene(97, 45);
        OpenCvSharp.Cv2.ImEncode(".webp", image, out var bytes, new OpenCvSharp.ImageEncodingParam(OpenCvSharp.ImwriteFlags.WebPQuality, 101));

        Assert.True(ImageHeader.TryRead(bytes, out var header));
        Assert.Equal((97, 45), (header.Width, header.Height));
    }

    [Fact]
    public void A_header_cut_before_the_size_is_recognised_but_not_read()
    {
        using var image = TestImages.NoFaceScene(64, 64);
        var png = TestImages.Encode(image, ".png");

        Assert.False(ImageHeader.TryRead(png.AsSpan(0, 20), out var header));
        Assert.Equal(ImageFormat.Png, header.Format);
    }

    [Fact]
    public void Detects_a_missing_jpeg_end_marker()
    {
        using var image = TestImages.NoFaceScene(64, 64);
        var jpeg = TestImages.Jpeg(image);

        Assert.True(ImageHeader.JpegHasEndMarker(jpeg));
        Assert.False(ImageHeader.JpegHasEndMarker(jpeg.AsSpan(0, jpeg.Length - 2)));
    }
}
