namespace MoodGrains.Audio.Demo;

/// <summary>
/// Made-up ensemble names for the demo pieces ("Amber Harbour Quartet"). Each piece needs its own artist: the
/// recommender keeps one track per artist in a list while it can, so a library by one artist fills a queue one track
/// at a time. Names come from their own generator, so adding them left every piece's MIDI bytes (and its rendering)
/// unchanged; pieces 0 .. 191 of one seed never share a name.
/// </summary>
public static class DemoArtists
{
    private static readonly string[] Colours =
    [
        "Amber", "Cobalt", "Saffron", "Indigo", "Copper", "Silver", "Juniper", "Scarlet",
        "Ivory", "Slate", "Marigold", "Cedar", "Violet", "Russet", "Pearl", "Umber",
    ];

    private static readonly string[] Places =
    [
        "Harbour", "Meadow", "Lantern", "Orchard", "Canyon", "Lighthouse", "Willow", "Station", "Fjord", "Garden", "Quarry", "Tide",
    ];

    // The ensemble word follows the region, so a name also hints at what the piece sounds like.
    private static readonly Dictionary<MoodRegion, string> Ensembles = new()
    {
        [MoodRegion.HappyEnergetic] = "Band",
        [MoodRegion.CalmContent] = "Trio",
        [MoodRegion.SadLow] = "Quartet",
        [MoodRegion.TenseAngry] = "Collective",
    };

    /// <summary>The artist of piece <paramref name="index"/> of the library made from <paramref name="seed"/>.</summary>
    public static string For(int index, int seed, MoodRegion region)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var colours = Shuffled(Colours, seed, 1);
        var places = Shuffled(Places, seed, 2);
        // (index mod 16, (index mod 16 + index div 16) mod 12) is one-to-one below 16 * 12, and walks both lists at once.
        var colour = index % colours.Length;
        var round = index / colours.Length;
        var place = (colour + round) % places.Length;
        var name = $"{colours[colour]} {places[place]} {Ensembles[region]}";
        var lap = index / (colours.Length * places.Length);
        return lap == 0 ? name : $"{name} {lap + 1}";
    }

    private static string[] Shuffled(string[] words, int seed, ulong salt)
    {
        var random = new SplitMix(((ulong)(uint)seed << 32) ^ (salt * 0xD1B54A32D192ED03UL));
        var copy = words.ToArray();
        for (var i = copy.Length - 1; i > 0; i--)
        {
            var j = random.Int(0, i + 1);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }

        return copy;
    }
}
