using MoodGrains.Server.Persistence;
using Npgsql;

namespace MoodGrains.Server.Tests;

/// <summary>Which PostgreSQL failures a caller is told to retry, and the pool limit each silo applies.</summary>
public sealed class TransientPostgresTests
{
    [Theory]
    [InlineData("57P01", true)] // admin shutdown: the server is restarting
    [InlineData("57P03", true)] // the database system is starting up
    [InlineData("53300", true)] // too many clients
    [InlineData("08006", true)] // connection failure
    [InlineData("23505", false)] // a unique violation is a bug or a duplicate, not a restart
    [InlineData("42P01", false)]
    public void A_restart_or_overload_is_transient_and_a_logic_error_is_not(string sqlState, bool transient)
    {
        var failure = new PostgresException("message", "FATAL", "FATAL", sqlState);

        Assert.Equal(transient, TransientPostgres.Is(failure));
        Assert.Equal(transient, TransientPostgres.Is(new InvalidOperationException("wrapped", failure)));
        Assert.Equal(transient, TransientPostgres.Is(new AggregateException(failure)));
    }

    [Fact]
    public void A_failure_that_lost_its_state_crossing_a_grain_call_is_judged_by_its_message()
    {
        Assert.True(TransientPostgres.Is(new NpgsqlException("57P01: terminating connection due to administrator command")));
        Assert.False(TransientPostgres.Is(new NpgsqlException("23505: duplicate key value violates unique constraint")));
    }

    [Fact]
    public void A_broken_connection_is_transient_and_other_errors_are_not()
    {
        Assert.True(TransientPostgres.Is(new NpgsqlException("Exception while reading from stream", new IOException("reset"))));
        Assert.False(TransientPostgres.Is(new InvalidOperationException("not a database failure")));
        Assert.False(TransientPostgres.Is(null));
    }

    [Fact]
    public void Each_pool_is_limited_and_connects_within_a_grain_call_unless_the_connection_string_sets_its_own()
    {
        var limited = new NpgsqlConnectionStringBuilder(PostgresPools.WithSiloDefaults("Host=db.test;Username=moodgrains"));
        Assert.Equal((PostgresPools.DefaultMaxPoolSize, PostgresPools.DefaultConnectTimeoutSeconds), (limited.MaxPoolSize, limited.Timeout));
        Assert.Equal("db.test", limited.Host);

        var own = new NpgsqlConnectionStringBuilder(PostgresPools.WithSiloDefaults("Host=db.test;Maximum Pool Size=50;Timeout=20"));
        Assert.Equal((50, 20), (own.MaxPoolSize, own.Timeout));

        // A minimum pool size or a command timeout is not the setting they name.
        var other = new NpgsqlConnectionStringBuilder(PostgresPools.WithSiloDefaults("Host=db.test;Minimum Pool Size=2;Command Timeout=60"));
        Assert.Equal((PostgresPools.DefaultMaxPoolSize, PostgresPools.DefaultConnectTimeoutSeconds, 60), (other.MaxPoolSize, other.Timeout, other.CommandTimeout));
    }

    [Fact]
    public async Task A_database_host_that_never_answers_fails_a_connection_within_the_grain_call_timeout()
    {
        // A listener that accepts and never speaks: the TCP connection opens, the startup handshake never completes.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        await using var connection = new NpgsqlConnection(PostgresPools.WithSiloDefaults($"Host=127.0.0.1;Port={port};Username=moodgrains;Pooling=false"));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var failure = await Assert.ThrowsAsync<NpgsqlException>(() => connection.OpenAsync());

        // Npgsql's own default would wait 15 s; the bounds only tell the two apart.
        Assert.IsType<TimeoutException>(failure.InnerException);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(PostgresPools.DefaultConnectTimeoutSeconds - 0.5), TimeSpan.FromSeconds(10));
    }
}
