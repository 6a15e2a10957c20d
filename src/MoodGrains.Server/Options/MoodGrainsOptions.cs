using System.ComponentModel.DataAnnotations;

namespace MoodGrains.Server.Options;

/// <summary>Where the service keeps its data. Bound from <c>MoodGrains:Postgres</c>; <c>MOODGRAINS_POSTGRES</c> overrides it.</summary>
public sealed class PostgresOptions
{
    public const string Section = "MoodGrains:Postgres";

    [Required(ErrorMessage = "No PostgreSQL connection string: set MOODGRAINS_POSTGRES or MoodGrains:Postgres:ConnectionString (./run.sh starts an embedded server and sets it).")]
    public string ConnectionString { get; set; } = string.Empty;
}

/// <summary>The SignalR backplane, bound from <c>MoodGrains:Redis</c>. Empty means a single silo without a backplane.</summary>
public sealed class RedisOptions
{
    public const string Section = "MoodGrains:Redis";

    public string? ConnectionString { get; set; }
}

/// <summary>How this silo finds and joins the cluster. Bound from <c>MoodGrains:Silo</c>.</summary>
public sealed class ClusterSiloOptions
{
    public const string Section = "MoodGrains:Silo";

    [Required]
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "{0} may use letters, digits, '.', '_' and '-' only.")]
    public string ClusterId { get; set; } = "moodgrains";

    [Required]
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "{0} may use letters, digits, '.', '_' and '-' only.")]
    public string ServiceId { get; set; } = "moodgrains";

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The address other silos reach this one on. Loopback by default (one machine, several silos); "auto" picks the
    /// machine's IPv4 address, for containers.
    /// </summary>
    [Required]
    [RegularExpression(@"^(auto|[0-9a-fA-F:.]+)$", ErrorMessage = "{0} must be an IP address or 'auto'.")]
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>How long a grain call may take before the caller gets a timeout (Orleans' default is 30 s).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a stop (SIGTERM) may spend leaving the cluster gracefully: handing rooms over, telling the membership
    /// table. Past it the silo stops at once and the others notice through their probes, so a stop with PostgreSQL
    /// already gone still ends in time (Orleans would otherwise retry the table for over a minute).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Failure detection: a silo that misses <see cref="MissedProbesLimit"/> probes in a row, sent every
    /// <see cref="ProbeTimeout"/>, is suspected; <see cref="VotesForDeath"/> suspecting silos (fewer where the cluster
    /// is smaller) declare it dead and its rooms move. A killed silo is gone after about ProbeTimeout x MissedProbesLimit.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.5", "00:00:30")]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1.5);

    [Range(2, 10)]
    public int MissedProbesLimit { get; set; } = 3;

    [Range(1, 5)]
    public int VotesForDeath { get; set; } = 2;
}

/// <summary>Signs the guest session tokens that identify a browser. Bound from <c>MoodGrains:Session</c>.</summary>
public sealed class GuestSessionOptions
{
    public const string Section = "MoodGrains:Session";

    /// <summary>
    /// Base64 HMAC key, at least 32 bytes. Every silo of a cluster needs the same key. Without one, a random key is
    /// made at start-up and sessions do not survive a restart (a warning is logged).
    /// </summary>
    public string? SigningKey { get; set; }

    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>
/// Where the Data Protection key ring (which encrypts stored Spotify tokens) is kept. Bound from
/// <c>MoodGrains:DataProtection</c>; <c>MOODGRAINS_DATA_PROTECTION_KEYS</c> overrides it.
/// </summary>
public sealed class KeyRingOptions
{
    public const string Section = "MoodGrains:DataProtection";

    /// <summary>
    /// A folder shared by every silo. Unset, ASP.NET Core's per-user default is used, which silos on one machine share;
    /// across machines (or containers) logins made on one silo cannot be read on another (users then connect Spotify again).
    /// </summary>
    public string? KeyDirectory { get; set; }

    /// <summary>
    /// Keep the keys in PostgreSQL (table <c>data_protection_keys</c>), shared by every silo of the cluster, for
    /// containers and machines that share no folder. Off by default.
    /// </summary>
    public bool KeysInPostgres { get; set; }
}
