namespace MoodGrains.Training.Torch.Tests;

public sealed class NativeCompatibilityTests
{
    private const string Version = "GLIBCXX_3.4.32";
    private const string Marker = "_ZSt21ios_base_library_initv";

    /// <summary>The unpatched file as NuGet unpacked it (the build output's copy may be patched already).</summary>
    private static string Original => Path.Combine(
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages ? packages : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [Fact]
    public void The_marker_version_is_made_weak_once()
    {
        var bytes = File.ReadAllBytes(Original);

        Assert.True(NativeCompatibility.MarkWeak(bytes, Version, Marker));
        Assert.False(NativeCompatibility.MarkWeak(bytes, Version, Marker));
    }

    [Fact]
    public void A_version_that_real_symbols_need_is_left_alone()
    {
        Assert.False(NativeCompatibility.MarkWeak(File.ReadAllBytes(Original), Version, "some_other_symbol"));
        Assert.False(NativeCompatibility.MarkWeak(File.ReadAllBytes(Original), "GLIBCXX_3.4.30", Marker));
        Assert.False(NativeCompatibility.MarkWeak(new byte[128], Version, Marker));
    }
}
