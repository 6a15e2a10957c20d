using Microsoft.AspNetCore.Authentication;
using MoodGrains.Server.Apis;
using MoodGrains.Server.Hubs;
using MoodGrains.Server.Identity;
using MoodGrains.Server.Options;

namespace MoodGrains.Server.Extensions;

internal static class WebExtensions
{
    public static WebApplicationBuilder AddMoodGrainsWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<RedisOptions>(RedisOptions.Section);
        builder.Services.AddValidatedOptions<GuestSessionOptions>(GuestSessionOptions.Section);
        builder.Services.AddSingleton<GuestTokens>();
        builder.Services.AddSingleton<DatabaseInitializer>();
        builder.Services.AddAuthentication(GuestAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, GuestAuthenticationHandler>(GuestAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization();
        builder.Services.AddProblemDetails();
        builder.Services.AddMoodGrainsHealthChecks();

        var signalR = builder.Services.AddSignalR(o => o.MaximumReceiveMessageSize = 1024 * 1024);
        var redis = builder.Configuration.GetSection(RedisOptions.Section).Get<RedisOptions>();
        if (!string.IsNullOrWhiteSpace(redis?.ConnectionString))
        {
            // One channel prefix per cluster, so two MoodGrains clusters can share a Redis without hearing each other.
            var clusterId = builder.Configuration["MoodGrains:Silo:ClusterId"] ?? "moodgrains";
            signalR.AddStackExchangeRedis(redis.ConnectionString, o =>
                o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal("moodgrains:" + clusterId));
        }

        return builder;
    }

    public static WebApplication MapMoodGrains(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthApi();
        app.MapSessionApi();
        app.MapRoomsApi();
        app.MapSpotifyApi();
        app.MapHub<RoomHub>("/hubs/room");
        return app;
    }
}
