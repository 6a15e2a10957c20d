using Npgsql;

namespace MoodGrains.Hosting.Local;

/// <summary>
/// A private PostgreSQL cluster started for one test run on a free loopback port and removed afterwards.
/// Set <c>MOODGRAINS_TEST_POSTGRES</c> to a connection string to use an existing server instead;
/// each fixture then works in a database of its own.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string? _dataDirectory;
    private readonly string? _binDirectory;
    private readonly int _port;

    private PostgresServer(string adminConnectionString, string? dataDirectory, string? binDirectory, int port)
    {
        AdminConnectionString = adminConnectionString;
        _dataDirectory = dataDirectory;
        _binDirectory = binDirectory;
        _port = port;
    }

    /// <summary>Connection string to the <c>postgres</c> maintenance database.</summary>
    public string AdminConnectionString { get; }

    public static async Task<PostgresServer> StartAsync()
    {
        var existing = Environment.GetEnvironmentVariable("MOODGRAINS_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(existing))
        {
            return new PostgresServer(existing, null, null, 0);
        }

        var bin = FindBinDirectory();
        var port = FreePort.Next();
        var dir = Path.Combine(Path.GetTempPath(), $"moodgrains-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var runAs = RunAsPostgres();
        if (runAs)
        {
            await Shell.RunAsync("chown", $"postgres:postgres {dir}");
        }

        await RunPostgresToolAsync(runAs, Path.Combine(bin, "initdb"),
            $"-D {dir}/data -U postgres -A trust -E UTF8 --no-locale --no-sync");
        await StartClusterAsync(bin, dir, port);

        var connectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true";
        return new PostgresServer(connectionString, dir, bin, port);
    }

    /// <summary>
    /// Shuts the server down as an operator's restart does (<c>pg_ctl stop -m fast</c>: open sessions are ended, data is
    /// kept), so tests can watch clients survive PostgreSQL going away. <see cref="StartAgainAsync"/> brings it back on
    /// the same port with the same data.
    /// </summary>
    public Task StopAsync() =>
        RunPostgresToolAsync(RunAsPostgres(), Path.Combine(OwnBinDirectory, "pg_ctl"), $"-D {_dataDirectory}/data -m fast -w -t 60 stop");

    /// <summary>Starts the server again after <see cref="StopAsync"/>, on the same port with the same data.</summary>
    public Task StartAgainAsync() => StartClusterAsync(OwnBinDirectory, _dataDirectory!, _port);

    /// <summary>A restart: <see cref="StopAsync"/> then <see cref="StartAgainAsync"/>.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAgainAsync();
    }

    /// <summary>Creates an empty database with a unique name and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "test")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)].ToLowerInvariant();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_dataDirectory is null || _binDirectory is null)
        {
            return;
        }

        try
        {
            await RunPostgresToolAsync(RunAsPostgres(), Path.Combine(_binDirectory, "pg_ctl"),
                $"-D {_dataDirectory}/data -m immediate -w stop");
        }
        finally
        {
            try
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp directory is harmless; never hide the test result behind it.
            }
        }
    }

    /// <summary>Only a server this class started can be stopped and started; an external one belongs to someone else.</summary>
    private string OwnBinDirectory => _dataDirectory is not null && _binDirectory is not null
        ? _binDirectory
        : throw new NotSupportedException("An external PostgreSQL (MOODGRAINS_TEST_POSTGRES) cannot be stopped or started by a test.");

    // fsync off: test data is thrown away with the directory.
    private static Task StartClusterAsync(string bin, string dir, int port) =>
        RunPostgresToolAsync(RunAsPostgres(), Path.Combine(bin, "pg_ctl"),
            $"-D {dir}/data -l {dir}/server.log -w -t 60 -o \"-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300\" start");

    private static bool RunAsPostgres() => Environment.UserName == "root";

    private static Task RunPostgresToolAsync(bool runAs, string tool, string arguments) =>
        runAs ? Shell.RunAsync("runuser", $"-u postgres -- {tool} {arguments}") : Shell.RunAsync(tool, arguments);

    private static string FindBinDirectory()
    {
        var root = "/usr/lib/postgresql";
        if (Directory.Exists(root))
        {
            var newest = Directory.GetDirectories(root)
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => d, StringComparer.Ordinal)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        throw new InvalidOperationException(
            "PostgreSQL server binaries were not found under /usr/lib/postgresql. Install them with 'apt-get install postgresql' " +
            "or set MOODGRAINS_TEST_POSTGRES to a connection string.");
    }
}
