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
    public void Each_pool_is_limited_unless_the_connection_string_sets_its_own()
    {
        var limited = new NpgsqlConnectionStringBuilder(PostgresPools.WithPoolLimits("Host=db.test;Username=moodgrains"));
        Assert.Equal(PostgresPools.DefaultMaxPoolSize, limited.MaxPoolSize);
        Assert.Equal("db.test", limited.Host);

        var own = new NpgsqlConnectionStringBuilder(PostgresPools.WithPoolLimits("Host=db.test;Maximum Pool Size=50"));
        Assert.Equal(50, own.MaxPoolSize);
    }
}
