namespace MoodGrains.Server.Tests;

/// <summary>The last part of a silo's output, for an assertion's message.</summary>
internal static class OutputTail
{
    public static string Last(string output, int chars = 3000) => output[^Math.Min(output.Length, chars)..];
}
