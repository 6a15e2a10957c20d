namespace MoodGrains.Cli.Chaos;

/// <summary>
/// Writes a progressive JPEG that is small on the wire and slow to decode: one flat grey component of 1024x1024
/// (within the server's pixel limit) and thousands of AC scans. Every block of such an image is zero, so each scan is
/// one end-of-band run (12 bytes with its header), yet libjpeg walks all 16,384 blocks once per scan: 20,000 such
/// scans (240 KB) took 90 s to decode with OpenCV on the 2-core development machine; the suite sends 5,000 (60 KB).
/// </summary>
/// <remarks>
/// The first 14 AC scans are a legal successive-approximation sequence (Al 13 down to 0); the rest repeat the last
/// refinement, which libjpeg reports as a warning ("bogus progression") and decodes anyway. OpenCV's encoder cannot
/// be told to write such a scan script, hence this writer.
/// </remarks>
internal static class ProgressiveJpegBomb
{
    public static byte[] Create(int width = 1024, int height = 1024, int scans = 5_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scans, 2);
        var blocks = (width / 8) * (height / 8);
        if (width % 8 != 0 || height % 8 != 0 || blocks % 16384 != 0)
        {
            // Whole blocks and whole EOB14 runs: the one-symbol Huffman tables have no code for anything else.
            throw new ArgumentException("Width x height must be whole 8x8 blocks, a multiple of 16,384 of them (e.g. 1024x1024).");
        }

        using var output = new MemoryStream();
        output.Write([0xFF, 0xD8]);

        // DQT: table 0, 8-bit, all ones.
        output.Write([0xFF, 0xDB, 0x00, 0x43, 0x00]);
        output.Write(Enumerable.Repeat((byte)1, 64).ToArray());

        // SOF2 (progressive, Huffman): 8-bit samples, one component (id 1, 1x1 sampling, table 0).
        output.Write([0xFF, 0xC2, 0x00, 0x0B, 0x08, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 0x01, 0x01, 0x11, 0x00]);

        // DHT: DC table 0 holds one symbol (category 0, code "0"); AC table 0 one symbol (EOB14, code "0").
        output.Write([0xFF, 0xC4, 0x00, 0x14, 0x00, 0x01, .. new byte[15], 0x00]);
        output.Write([0xFF, 0xC4, 0x00, 0x14, 0x10, 0x01, .. new byte[15], 0xE0]);

        // DC first scan: every block's DC difference is 0 (flat mid-grey), one bit each.
        WriteScan(output, ss: 0, se: 0, ah: 0, al: 0, bits =>
        {
            for (var i = 0; i < blocks; i++)
            {
                bits.Write(0, 1);
            }
        });

        // AC scans over coefficients 1..63: first at Al 13, then refinements; each covers the image in runs of 16,384
        // all-zero blocks (EOB14: the code "0" and 14 extra bits of zero).
        for (var scan = 1; scan < scans; scan++)
        {
            var ah = scan == 1 ? 0 : Math.Max(1, 15 - scan);
            var al = scan == 1 ? 13 : ah - 1;
            WriteScan(output, ss: 1, se: 63, ah, al, bits =>
            {
                for (var run = 0; run < blocks / 16384; run++)
                {
                    bits.Write(0, 1);
                    bits.Write(0, 14);
                }
            });
        }

        output.Write([0xFF, 0xD9]);
        return output.ToArray();
    }

    private static void WriteScan(MemoryStream output, int ss, int se, int ah, int al, Action<BitWriter> body)
    {
        output.Write([0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, (byte)ss, (byte)se, (byte)((ah << 4) | al)]);
        var bits = new BitWriter(output);
        body(bits);
        bits.Flush();
    }

    /// <summary>Entropy-coded bits, most significant first, with 0xFF stuffed and the last byte padded with ones.</summary>
    private sealed class BitWriter(MemoryStream output)
    {
        private int _buffer;
        private int _count;

        public void Write(int value, int length)
        {
            for (var i = length - 1; i >= 0; i--)
            {
                _buffer = (_buffer << 1) | ((value >> i) & 1);
                if (++_count == 8)
                {
                    Emit();
                }
            }
        }

        public void Flush()
        {
            while (_count != 0)
            {
                _buffer = (_buffer << 1) | 1;
                if (++_count == 8)
                {
                    Emit();
                }
            }
        }

        private void Emit()
        {
            output.WriteByte((byte)_buffer);
            if ((byte)_buffer == 0xFF)
            {
                output.WriteByte(0x00);
            }

            _buffer = 0;
            _count = 0;
        }
    }
}
