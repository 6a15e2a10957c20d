using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Mood;
using MoodGrains.Server.Hubs;
using MoodGrains.Server.Privacy;
using MoodGrains.Storage.Listening;
using Npgsql;

namespace MoodGrains.Server.Tests;

/// <summary>One operation id per request across retries; the retention job on the server's real PostgreSQL.</summary>
[Collection(WebCollection.Name)]
public sealed class RetriesAndRetentionTests(WebServerFixture web)
{
    [Fact]
    public async Task Every_attempt_of_one_request_carries_the_same_operation_id_and_the_next_request_another()
    {
        var calls = new GrainCalls(web.Factory.Services.GetRequiredService<IGrainFactory>(), NullLogger<GrainCalls>.Instance);
        var seen = new List<string?>();

        var answer = await calls.RetryAsync(() =>
        {
            seen.Add(RequestContext.Get(OperationIds.RequestContextKey) as string);
            // Two timeouts, as when a silo dies under the call, then an answer.
            return seen.Count < 3 ? Task.FromException<int>(new TimeoutException()) : Task.FromResult(7);
        });
        await calls.RetryAsync(() =>
        {
            seen.Add(RequestContext.Get(OperationIds.RequestContextKey) as string);
            return Task.FromResult(0);
        });

        Assert.Equal(7, answer);
        Assert.Equal(4, seen.Count);
        Assert.NotNull(seen[0]);
        Assert.Equal([seen[0], seen[0]], seen.Skip(1).Take(2));
        Assert.NotEqual(seen[0], seen[3]);
        Assert.Null(RequestContext.Get(OperationIds.RequestContextKey));
    }

    [Fact]
    public async Task A_call_whose_change_was_not_saved_is_retried()
    {
        var calls = new GrainCalls(web.Factory.Services.GetRequiredService<IGrainFactory>(), NullLogger<GrainCalls>.Instance);
        var attempts = 0;

        var answer = await calls.RetryAsync(() => ++attempts == 1 ? Task.FromException<int>(new StateNotSavedException()) : Task.FromResult(attempts));

        Assert.Equal(2, answer);
    }

    [Fact]
    public async Task The_retention_job_reduces_plays_older_than_its_period_and_no_others()
    {
        var database = web.Factory.Services.GetRequiredService<NpgsqlDataSource>();
        var repository = new ListeningEventRepository(database);
        long track;
        await using (var command = database.CreateCommand("SELECT min(track_id) FROM tracks"))
        {
            track = (long)(await command.ExecuteScalarAsync())!;
        }

        var (old, recent) = ("u" + Guid.NewGuid().ToString("N")[..12], "u" + Guid.NewGuid().ToString("N")[..12]);
        var now = DateTimeOffset.UtcNow;
        await repository.AppendAsync([Play(old, track, now.AddSeconds(-10)), Play(recent, track, now.AddHours(1))]);
        var options = Microsoft.Extensions.Options.Options.Create(new RetentionOptions { EmotionProbabilities = TimeSpan.FromSeconds(5), Interval = TimeSpan.FromMilliseconds(100) });
        using var job = new ListeningRetentionService(repository, options, TimeProvider.System, NullLogger<ListeningRetentionService>.Instance);

        await job.StartAsync(CancellationToken.None);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (await ProbabilitiesOfAsync(database, old) is not null && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
        finally
        {
            await job.StopAsync(CancellationToken.None);
        }

        Assert.Null(await ProbabilitiesOfAsync(database, old));
        Assert.Equal(1f, await ProbabilitiesOfAsync(database, recent));
        await using var point = database.CreateCommand("SELECT valence, arousal FROM listening_events WHERE user_id = $1");
        point.Parameters.AddWithValue(old);
        await using var reader = await point.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal((0.8f, 0.5f), (reader.GetFloat(0), reader.GetFloat(1)));
    }

    private static ListeningEvent Play(string userId, long track, DateTimeOffset startedAt) =>
        new(0, userId, track, "RETAIN", startedAt, startedAt.AddMinutes(3), TrackOutcome.Completed, [0, 0, 0, 1, 0, 0, 0], 0.8f, 0.5f, 1f);

    private static async Task<float?> ProbabilitiesOfAsync(NpgsqlDataSource database, string userId)
    {
        await using var command = database.CreateCommand("SELECT p_happy FROM listening_events WHERE user_id = $1");
        command.Parameters.AddWithValue(userId);
        return await command.ExecuteScalarAsync() is float happy ? happy : null;
    }
}
