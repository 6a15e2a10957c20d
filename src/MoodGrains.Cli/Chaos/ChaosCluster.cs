using MoodGrains.Hosting.Local;
using Npgsql;

namespace MoodGrains.Cli.Chaos;

/// <summary>
/// The suite's private cluster: a throwaway PostgreSQL and Redis, a Spotify stand-in, and two silo processes of the
/// real server (the same build and harness the tests use), at the server's default limits. Probes reach it through
/// guests signed in on either silo and may stop Redis, restart PostgreSQL or kill a silo; each leaves it usable.
/// </summary>
internal sealed class ChaosCluster : IAsyncDisposable
{
    private readonly List<SiloProcess> _extraSilos = [];

    private ChaosCluster(PostgresServer postgres, RedisServer redis, FakeSpotify spotify, string database, string clusterId)
    {
        Postgres = postgres;
        Redis = redis;
        Spotify = spotify;
        Database = database;
        ClusterId = clusterId;
    }

    public PostgresServer Postgres { get; }

    public RedisServer Redis { get; }

    public FakeSpotify Spotify { get; }

    /// <summary>The cluster's database (connection string).</summary>
    public string Database { get; }

    public string ClusterId { get; }

    /// <summary>The first silo; the kill -9 probe ends it, so later probes use <see cref="B"/>.</summary>
    public SiloProcess A { get; private set; } = null!;

    public SiloProcess B { get; private set; } = null!;

    public ChaosLedger Ledger { get; } = new();

    /// <summary>Catalogue track ids (the demo catalogue the server seeds into an empty database).</summary>
    public IReadOnlyList<long> TrackIds { get; private set; } = [];

    /// <summary>A webcam-like frame an honest member sends (a face photo when the shared data is there).</summary>
    public byte[] HonestFrame { get; private set; } = [];

    public static async Task<ChaosCluster> StartAsync(Action<string> progress, CancellationToken cancellationToken)
    {
        progress("starting PostgreSQL, Redis and a Spotify stand-in");
        var postgres = await PostgresServer.StartAsync();
        RedisServer? redis = null;
        FakeSpotify? spotify = null;
        ChaosCluster? cluster = null;
        try
        {
            redis = await RedisServer.StartAsync();
            spotify = await FakeSpotify.StartAsync();
            var database = await postgres.CreateDatabaseAsync("chaos");
            cluster = new ChaosCluster(postgres, redis, spotify, database, $"chaos-{Environment.ProcessId}");
            progress("starting silo A (schema, demo catalogue)");
            cluster.A = await cluster.StartSiloAsync(cluster.ClusterId, redis.ConnectionString);
            cancellationToken.ThrowIfCancellationRequested();
            progress("starting silo B");
            cluster.B = await cluster.StartSiloAsync(cluster.ClusterId, redis.ConnectionString);
            cluster.TrackIds = await cluster.QueryAsync("SELECT track_id FROM tracks ORDER BY track_id", r => r.GetInt64(0), cancellationToken);
            if (cluster.TrackIds.Count < 40)
            {
                throw new InvalidOperationException($"The catalogue holds {cluster.TrackIds.Count} tracks; the suite needs the demo catalogue (40 or more).");
            }

            cluster.HonestFrame = HonestFrames.Load();
            return cluster;
        }
        catch
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }
            else
            {
                if (spotify is not null)
                {
                    await spotify.DisposeAsync();
                }

                if (redis is not null)
                {
                    await redis.DisposeAsync();
                }

                await postgres.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>
    /// Starts a silo of the server on this cluster's database. A silo the probe starts for itself (with a cluster id
    /// of its own, so the others never place grains on it) is stopped with the cluster.
    /// </summary>
    public async Task<SiloProcess> StartSiloAsync(string clusterId, string? redis, TimeSpan? timeout = null)
    {
        var silo = await SiloProcess.StartAsync(Database, redis, clusterId, environment: Spotify.Environment, timeout: timeout ?? TimeSpan.FromSeconds(120));
        if (clusterId != ClusterId)
        {
            lock (_extraSilos)
            {
                _extraSilos.Add(silo);
            }
        }

        return silo;
    }

    public Task<ChaosGuest> GuestAsync(SiloProcess silo, CancellationToken cancellationToken) => ChaosGuest.SignInAsync(silo, cancellationToken);

    /// <summary>A guest signed in and connected to the room hub of <paramref name="silo"/>.</summary>
    public async Task<ChaosGuest> MemberAsync(SiloProcess silo, CancellationToken cancellationToken)
    {
        var guest = await ChaosGuest.SignInAsync(silo, cancellationToken);
        try
        {
            return await guest.ConnectAsync(cancellationToken);
        }
        catch
        {
            await guest.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Rows of a query on the cluster's database. Opens a fresh connection each time (and retries for a while), so a
    /// PostgreSQL restart by a probe leaves no broken pooled connection behind.
    /// </summary>
    public async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, params object[] parameters)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(Database) { Pooling = false };
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand(sql, connection);
                foreach (var p in parameters)
                {
                    command.Parameters.Add(new NpgsqlParameter { Value = p });
                }

                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                var rows = new List<T>();
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows.Add(read(reader));
                }

                return rows;
            }
            catch (NpgsqlException e) when (e.IsTransient && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Places a new room on <paramref name="silo"/>: rooms are created (by fresh hosts, the per-identity create limit
    /// being small) until one is active there. Returns the host, signed in on <paramref name="via"/>, and the code.
    /// </summary>
    public async Task<(ChaosGuest Host, string Code)> RoomOnAsync(SiloProcess silo, SiloProcess via, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 30; attempt++)
        {
            var host = await MemberAsync(via, cancellationToken);
            for (var room = 0; room < 5; room++)
            {
                var (created, _, _) = await ChaosGuest.TimedAsync(() => host.CreateRoomAsync("Host", cancellationToken));
                if (created is null)
                {
                    // A refusal or a fault left by an earlier probe's fault is not this probe's subject: try again.
                    await Task.Delay(500, cancellationToken);
                    continue;
                }

                var code = created.Code;
                using var response = await host.Http.GetAsync($"/api/rooms/{code}/location", cancellationToken);
                var location = await response.Content.ReadAsStringAsync(cancellationToken);
                if (location.Contains($":{silo.SiloPort}:", StringComparison.Ordinal))
                {
                    return (host, code);
                }

                // Placement spreads once each silo has seen the other's load; give it a moment.
                await Task.Delay(100, cancellationToken);
            }

            await host.DisposeAsync();
        }

        throw new InvalidOperationException($"No room was placed on the silo at port {silo.SiloPort} in 150 tries.");
    }

    public async ValueTask DisposeAsync()
    {
        var silos = new List<SiloProcess>(_extraSilos);
        if (B is not null)
        {
            silos.Add(B);
        }

        if (A is not null)
        {
            silos.Add(A);
        }

        foreach (var silo in silos)
        {
            // SIGKILL: the cluster is thrown away with its database, so a graceful leave would only cost time.
            silo.Kill();
            await silo.DisposeAsync();
        }

        await Spotify.DisposeAsync();
        await Redis.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}
