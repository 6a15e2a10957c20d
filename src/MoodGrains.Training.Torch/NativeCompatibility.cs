using System.Buffers.Binary;
using System.Text;

namespace MoodGrains.Training.Torch;

/// <summary>
/// Lets TorchSharp's native glue load on Debian 12. <c>libLibTorchSharp.so</c> 0.107 was linked with GCC 13, whose
/// <c>&lt;iostream&gt;</c> plants a reference to <c>std::ios_base_library_init()</c> at version GLIBCXX_3.4.32 purely
/// to demand a GCC 13 runtime; nothing calls it (the library has no relocation against it). Debian 12's libstdc++
/// stops at GLIBCXX_3.4.30, so the loader refuses the file. Marking that one version requirement weak (ELF
/// <c>VER_FLG_WEAK</c>) turns the refusal into nothing, which is the truth for a symbol never bound. The patch is
/// applied to the build output's copy only (the NuGet cache keeps the original), only when the system's libstdc++
/// lacks the version, and only if every symbol that asks for it is that marker.
/// </summary>
public static class NativeCompatibility
{
    private const string Library = "libLibTorchSharp.so";
    private const string MissingVersion = "GLIBCXX_3.4.32";
    private const string MarkerSymbol = "_ZSt21ios_base_library_initv";
    private const ushort VersionFlagWeak = 0x2;

    private static readonly object Gate = new();
    private static bool _done;

    /// <summary>Call before the first use of TorchSharp in a process.</summary>
    public static void EnsureLoadable()
    {
        lock (Gate)
        {
            if (_done || !OperatingSystem.IsLinux())
            {
                _done = true;
                return;
            }

            _done = true;
            var path = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", Library);
            if (!File.Exists(path) || SystemProvides(MissingVersion))
            {
                return;
            }

            var bytes = File.ReadAllBytes(path);
            if (MarkWeak(bytes, MissingVersion, MarkerSymbol))
            {
                var temporary = path + ".patching";
                File.WriteAllBytes(temporary, bytes);
                File.Move(temporary, path, overwrite: true);
            }
        }
    }

    /// <summary>
    /// Marks the requirement of <paramref name="version"/> weak in an ELF64 little-endian shared object, if every
    /// dynamic symbol bound to it is <paramref name="onlySymbol"/>. Returns whether anything changed.
    /// </summary>
    public static bool MarkWeak(byte[] elf, string version, string onlySymbol)
    {
        var span = elf.AsSpan();
        if (elf.Length < 64 || !span[..4].SequenceEqual("\u007fELF"u8) || elf[4] != 2 || elf[5] != 1)
        {
            return false;
        }

        var sectionsAt = (int)BinaryPrimitives.ReadUInt64LittleEndian(span[0x28..]);
        int sectionSize = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3A..]);
        int sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3C..]);
        const uint verneedType = 0x6ffffffe, versymType = 0x6fffffff, dynsymType = 11;
        (int Offset, int Link)? verneed = null, versym = null, dynsym = null;
        var dynsymSize = 0;
        for (var i = 0; i < sectionCount; i++)
        {
            var header = span[(sectionsAt + (i * sectionSize))..];
            var type = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            var section = ((int)BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]), (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]));
            switch (type)
            {
                case verneedType: verneed = section; break;
                case versymType: versym = section; break;
                case dynsymType:
                    dynsym = section;
                    dynsymSize = (int)BinaryPrimitives.ReadUInt64LittleEndian(header[0x20..]);
                    break;
            }
        }

        if (verneed is not { } need || versym is not { } symbolVersions || dynsym is not { } symbols)
        {
            return false;
        }

        var strings = StringTableOffset(span, sectionsAt, sectionSize, need.Link);
        var changed = false;
        var entry = need.Offset;
        while (true)
        {
            int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(span[(entry + 2)..]);
            var aux = entry + (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(entry + 8)..]);
            for (var a = 0; a < auxCount; a++)
            {
                var flags = BinaryPrimitives.ReadUInt16LittleEndian(span[(aux + 4)..]);
                int index = BinaryPrimitives.ReadUInt16LittleEndian(span[(aux + 6)..]);
                var name = ReadString(span, strings + (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(aux + 8)..]));
                if (name == version && (flags & VersionFlagWeak) == 0
                    && OnlySymbolWithVersion(span, symbols, dynsymSize, symbolVersions.Offset, index, StringTableOffset(span, sectionsAt, sectionSize, symbols.Link), onlySymbol))
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(span[(aux + 4)..], (ushort)(flags | VersionFlagWeak));
                    changed = true;
                }

                aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(aux + 12)..]);
            }

            var next = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(entry + 12)..]);
            if (next == 0)
            {
                return changed;
            }

            entry += next;
        }
    }

    private static bool SystemProvides(string version)
    {
        var needle = Encoding.ASCII.GetBytes(version + "\0");
        foreach (var candidate in new[] { "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" })
        {
            if (File.Exists(candidate))
            {
                return File.ReadAllBytes(candidate).AsSpan().IndexOf(needle) >= 0;
            }
        }

        // Unknown layout: leave the file alone and let TorchSharp report what it finds.
        return true;
    }

    private static bool OnlySymbolWithVersion(ReadOnlySpan<byte> elf, (int Offset, int Link) symbols, int size, int versions, int index, int strings, string onlySymbol)
    {
        const int symbolSize = 24;
        var found = false;
        for (var i = 0; i < size / symbolSize; i++)
        {
            var version = BinaryPrimitives.ReadUInt16LittleEndian(elf[(versions + (2 * i))..]) & 0x7fff;
            if (version != index)
            {
                continue;
            }

            var name = ReadString(elf, strings + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(symbols.Offset + (i * symbolSize))..]));
            if (name != onlySymbol)
            {
                return false;
            }

            found = true;
        }

        return found;
    }

    private static int StringTableOffset(ReadOnlySpan<byte> elf, int sectionsAt, int sectionSize, int section) =>
        (int)BinaryPrimitives.ReadUInt64LittleEndian(elf[(sectionsAt + (section * sectionSize) + 0x18)..]);

    private static string ReadString(ReadOnlySpan<byte> elf, int offset)
    {
        var rest = elf[offset..];
        return Encoding.ASCII.GetString(rest[..rest.IndexOf((byte)0)]);
    }
}
