namespace MoodGrains.Cli.Commands;

/// <summary>
/// The images <c>train emotion</c> held out of a FER-style folder: the same stratified draw as the trainer's
/// <c>FerTensors.Split</c> (per label in label order, one generator seeded with the split seed shuffling each label's
/// indices in turn, then the first round(n x fraction) of each, at least one where a label has two or more). It lets
/// <c>eval fer</c> measure any configuration on images our CNN never trained on.
/// </summary>
internal static class HeldOutSlice
{
    /// <param name="samples">the whole folder as <c>FerSamples.Load</c> lists it (no per-label limit), which is the trainer's order.</param>
    public static List<(string Path, int Label)> Select(IReadOnlyList<(string Path, int Label)> samples, double fraction, int seed)
    {
        var random = new Random(seed);
        var held = new List<int>();
        foreach (var group in Enumerable.Range(0, samples.Count).GroupBy(i => samples[i].Label).OrderBy(g => g.Key))
        {
            var indices = group.ToArray();
            random.Shuffle(indices);
            var count = indices.Length < 2 ? 0 : Math.Max(1, (int)Math.Round(indices.Length * fraction));
            held.AddRange(indices.Take(count));
        }

        held.Sort();
        return [.. held.Select(i => samples[i])];
    }
}
