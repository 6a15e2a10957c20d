using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using MoodGrains.Abstractions.Users;
using MoodGrains.Music.Spotify;
using MoodGrains.Mood;
using MoodGrains.Storage.Listening;
using Npgsql;

namespace MoodGrains.Server.Tests;

/// <summary><c>DELETE /api/me</c> against the server's real PostgreSQL: a guest's data goes, another guest's stays.</summary>
[Collection(WebCollection.Name)]
public sealed class MeApiTests(WebServerFixture web)
{
    [Fact]
    public async Task Deleting_me_erases_plays_moods_the_Spotify_link_and_membership_and_nobody_elses()
    {
        using var me = await web.SignInAsync();
        using var other = await web.SignInAsync();
        var room = await HttpRooms.ReadRoomAsync(await other.CreateAsync("Ann"));
        await HttpRooms.ReadRoomAsync(await me.JoinAsync(room.Code, "Bob"));
        await using (var hub = await web.ConnectAsync(me.Session))
        {
            await hub.InvokeAsync<object>("SetManualMood", "happy");
        }

        var services = web.Factory.Services;
        var database = services.GetRequiredService<NpgsqlDataSource>();
        await using (var command = database.CreateCommand("SELECT min(track_id) FROM tracks"))
        {
            var track = (long)(await command.ExecuteScalarAsync())!;
            await new ListeningEventRepository(database).AppendAsync(
                [Play(me.Session.UserId, track), Play(me.Session.UserId, track), Play(other.Session.UserId, track)]);
        }

        var tokens = services.GetRequiredService<ISpotifyTokenStore>();
        foreach (var user in new[] { me.Session.UserId, other.Session.UserId })
        {
            await tokens.SaveAsync(user, new SpotifyTokens("a", "r", DateTimeOffset.UtcNow.AddHours(1), ""), default);
        }

        Assert.Equal(2L, await CountAsync(database, "listening_events", me.Session.UserId));

        var deleted = await me.DeleteMeAsync();

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal((0L, 1L), (await CountAsync(database, "listening_events", me.Session.UserId), await CountAsync(database, "listening_events", other.Session.UserId)));
        Assert.Equal(0L, await CountAsync(database, "users", me.Session.UserId));
        Assert.Null(await tokens.GetAsync(me.Session.UserId, default));
        Assert.NotNull(await tokens.GetAsync(other.Session.UserId, default));
        var grains = services.GetRequiredService<IGrainFactory>();
        Assert.Equal(new UserProfile(me.Session.UserId, null, null), await grains.GetGrain<IUserGrain>(me.Session.UserId).GetProfileAsync());
        Assert.Equal(0f, (await grains.GetGrain<IUserGrain>(me.Session.UserId).GetMoodAsync()).Confidence);
        var after = await HttpRooms.ReadRoomAsync(await other.GetAsync(room.Code));
        Assert.DoesNotContain(after.Members, m => m.UserId == me.Session.UserId);
    }

    private static ListeningEvent Play(string userId, long track) =>
        new(0, userId, track, null, DateTimeOffset.UtcNow, null, TrackOutcome.Completed, [0, 0, 0, 1, 0, 0, 0], 0.8f, 0.5f, 1f);

    private static async Task<long> CountAsync(NpgsqlDataSource database, string table, string userId)
    {
        await using var command = database.CreateCommand($"SELECT count(*) FROM {table} WHERE user_id = $1");
        command.Parameters.AddWithValue(userId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
