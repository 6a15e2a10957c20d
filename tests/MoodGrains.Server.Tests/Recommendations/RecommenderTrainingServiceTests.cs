using MoodGrains.Abstractions.Mood;
using MoodGrains.Recommendations.Hybrid;
using MoodGrains.Server.Recommendations;
using MoodGrains.Storage.Listening;
using MoodGrains.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MoodGrains.Server.Tests.Recommendations;

public sealed class RecommenderTrainingServiceTests : IAsyncLifetime
{
    private PostgresServer _server = null!;

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Trains_from_listening_events_in_postgres_and_serves_the_new_model()
    {
        await using var dataSource = NpgsqlDataSource.Create(await _server.CreateDatabaseAsync("recs"));
        await using (var stream = typeof(ListeningEventRepository).Assembly.GetManifestResourceStream("MoodGrains.Storage.Migrations.0001_initial.sql")!)
        using (var reader = new StreamReader(stream))
        await using (var migrate = dataSource.CreateCommand(await reader.ReadToEndAsync()))
        {
            await migrate.ExecuteNonQueryAsync();
        }

        var tracks = new List<long>();
        for (var i = 0; i < 12; i++)
        {
            await using var insert = dataSource.CreateCommand("INSERT INTO tracks (title, artists, duration_ms, valence, energy) VALUES ($1, $2, 180000, $3, $4) RETURNING track_id");
            insert.Parameters.AddWithValue($"Song {i}");
            insert.Parameters.AddWithValue(new[] { $"Band {i}" });
            insert.Parameters.AddWithValue(i < 6 ? 0.9f : 0.1f);
            insert.Parameters.AddWithValue(i < 6 ? 0.8f : 0.2f);
            tracks.Add((long)(await insert.ExecuteScalarAsync())!);
        }

        var now = DateTimeOffset.UtcNow;
        var happy = Circumplex.PositionOf(Emotion.Happy);
        var events = new List<ListeningEvent>();
        for (var u = 0; u < 10; u++)
        {
            for (var i = 0; i < 6; i++)
            {
                var track = tracks[(u < 5 ? 0 : 6) + i];
                events.Add(new ListeningEvent(0, $"user{u}", track, null, now.AddMinutes(-i - (10 * u)), null, i == 5 ? "disliked" : "completed",
                    [0f, 0f, 0f, 1f, 0f, 0f, 0f], happy.Valence, happy.Arousal, 0.9f));
            }
        }

        var repository = new ListeningEventRepository(dataSource);
        await repository.AppendAsync(events);

        var holder = new RecommenderHolder();
        var service = new RecommenderTrainingService(repository, holder,
            Options.Create(new RecommendationsOptions { Factors = 4, Iterations = 5, Regularization = 1 }), TimeProvider.System,
            NullLogger<RecommenderTrainingService>.Instance);
        Assert.Null(holder.Current);

        var snapshot = await service.TrainOnceAsync(CancellationToken.None);

        Assert.Same(snapshot, holder.Current!.Snapshot);
        Assert.Equal(12, snapshot.Tracks.Count);
        Assert.Equal(10, snapshot.Users);
        var list = holder.Current.Recommend(new RecommendationRequest([new Listener("user1")], happy, 3));
        Assert.Equal(3, list.Count);
        Assert.All(list, r => Assert.Contains(r.TrackId, tracks));
    }

    [Fact]
    public void Options_validation_names_the_bad_setting()
    {
        var errors = new RecommendationsOptions { RetrainInterval = TimeSpan.FromSeconds(5), MaxPerArtist = 0 }.Validate().ToArray();
        Assert.Contains(errors, e => e.Contains("RetrainInterval", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("MaxPerArtist", StringComparison.Ordinal));
        Assert.Empty(new RecommendationsOptions().Validate());
    }
}
