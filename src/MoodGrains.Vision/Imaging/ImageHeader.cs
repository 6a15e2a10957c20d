using System.Buffers.Binary;

namespace MoodGrains.Vision.Imaging;

public enum ImageFormat
{
    Unknown = 0,
    Jpeg,
    Png,
    WebP,
}

/// <summary>The format and pixel dimensions an encoded image declares, read without decoding it.</summary>
/// <remarks>
/// Read before the real decoder runs so that a few hundred bytes claiming 50000x50000 pixels
/// (a decompression bomb) are rejected before anything allocates the pixel buffer.
/// </remarks>
public readonly record struct ImageHeader(ImageFormat Format, int Width, int Height)
{
    public long PixelCount => (long)Width * Height;

    /// <summary>
    /// Returns false when the bytes are not a JPEG, PNG or WebP stream, or end before the dimensions.
    /// <paramref name="header"/> still carries the recognised format in that case.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out ImageHeader header)
    {
        header = default;
        if (IsPng(data))
        {
            header = new ImageHeader(ImageFormat.Png, 0, 0);
            return TryReadPng(data, ref header);
        }

        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        {
            header = new ImageHeader(ImageFormat.Jpeg, 0, 0);
            return TryReadJpeg(data, ref header);
        }

        if (data.Length >= 12 && data[..4].SequenceEqual("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8))
        {
            header = new ImageHeader(ImageFormat.WebP, 0, 0);
            return TryReadWebP(data, ref header);
        }

        return false;
    }

    /// <summary>
    /// A JPEG cut short still "decodes" (libjpeg fills the rest with grey and only warns), so a missing
    /// end-of-image marker is how a truncated upload is told from a complete one.
    /// </summary>
    public static bool JpegHasEndMarker(ReadOnlySpan<byte> data)
    {
        // Encoders may append a few padding bytes after EOI; look at the tail only.
        var tail = data[Math.Max(0, data.Length - 32)..];
        for (var i = tail.Length - 2; i >= 0; i--)
        {
            if (tail[i] == 0xFF && tail[i + 1] == 0xD9)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPng(ReadOnlySpan<byte> data) =>
        data.Length >= 8 && data[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);

    private static bool TryReadPng(ReadOnlySpan<byte> data, ref ImageHeader header)
    {
        // Signature, then the IHDR chunk: length (4), type (4), width (4, big-endian), height (4).
        if (data.Length < 24 || !data[12..16].SequenceEqual("IHDR"u8))
        {
            return false;
        }

        var width = BinaryPrimitives.ReadUInt32BigEndian(data[16..]);
        var height = BinaryPrimitives.ReadUInt32BigEndian(data[20..]);
        return Accept(width, height, ref header);
    }

    private static bool TryReadJpeg(ReadOnlySpan<byte> data, ref ImageHeader header)
    {
        var i = 2;
        while (i + 4 <= data.Length)
        {
            if (data[i] != 0xFF)
            {
                return false;
            }

            var marker = data[i + 1];
            if (marker == 0xFF)
            {
                i++; // fill byte
                continue;
            }

            // Stand-alone markers carry no length.
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                i += 2;
                continue;
            }

            if (marker is 0xD9 or 0xDA)
            {
                return false; // end of image or start of scan before any frame header
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 2)..]);
            if (length < 2)
            {
                return false;
            }

            // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (i + 9 > data.Length)
                {
                    return false;
                }

                var height = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 5)..]);
                var width = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 7)..]);
                return Accept(width, height, ref header);
            }

            i += 2 + length;
        }

        return false;
    }

    private static bool TryReadWebP(ReadOnlySpan<byte> data, ref ImageHeader header)
    {
        if (data.Length < 30)
        {
            return false;
        }

        var chunk = data[12..16];
        var payload = data[20..];
        if (chunk.SequenceEqual("VP8 "u8))
        {
            // Lossy: 3-byte frame tag, start code 9D 01 2A, then 14-bit width and height.
            if (payload[3] != 0x9D || payload[4] != 0x01 || payload[5] != 0x2A)
            {
                return false;
            }

            return Accept(BinaryPrimitives.ReadUInt16LittleEndian(payload[6..]) & 0x3FFFu,
                BinaryPrimitives.ReadUInt16LittleEndian(payload[8..]) & 0x3FFFu, ref header);
        }

        if (chunk.SequenceEqual("VP8L"u8))
        {
            // Lossless: signature 0x2F, then width-1 and height-1 packed in 14 bits each.
            if (payload[0] != 0x2F)
            {
                return false;
            }

            var bits = BinaryPrimitives.ReadUInt32LittleEndian(payload[1..]);
            return Accept((bits & 0x3FFFu) + 1, ((bits >> 14) & 0x3FFFu) + 1, ref header);
        }

        if (chunk.SequenceEqual("VP8X"u8))
        {
            // Extended: 4 bytes of flags, then canvas width-1 and height-1 in 24 bits each.
            var width = payload[4] | (payload[5] << 8) | (payload[6] << 16);
            var height = payload[7] | (payload[8] << 8) | (payload[9] << 16);
            return Accept((uint)width + 1, (uint)height + 1, ref header);
        }

        return false;
    }

    private static bool Accept(uint width, uint height, ref ImageHeader header)
    {
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue)
        {
            return false;
        }

        header = header with { Width = (int)width, Height = (int)height };
        return true;
    }
}
