using System.Text.Json.Serialization;
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

        // Frames arrive as base64 in JSON: 1 MiB leaves room for the 512 KB frame limit the analyzer enforces.
        var signalR = builder.Services.AddSignalR(o => o.MaximumReceiveMessageSize = 1024 * 1024)
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
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
        app.UseDefaultFiles();
        app.UseStaticFiles();
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
