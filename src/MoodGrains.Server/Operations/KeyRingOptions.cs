namespace MoodGrains.Server.Operations;

/// <summary>Where the Data Protection key ring lives. Bound from <c>MoodGrains:DataProtection</c>.</summary>
public sealed class KeyRingOptions
{
    public const string Section = "MoodGrains:DataProtection";

    /// <summary>
    /// Keep the keys in PostgreSQL (table <c>data_protection_keys</c>), shared by every silo of the cluster. Off by
    /// default: silos on one machine share ASP.NET Core's per-user key folder, or <c>MOODGRAINS_DATA_PROTECTION_KEYS</c>.
    /// </summary>
    public bool KeysInPostgres { get; set; }
}
