using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using MoodGrains.Server.Apis;
using MoodGrains.Server.Backplane;
using MoodGrains.Server.Hubs;
using MoodGrains.Server.Identity;
using MoodGrains.Server.Limits;
using MoodGrains.Server.Options;
using MoodGrains.Server.Security;
using MoodGrains.Server.Telemetry;

namespace MoodGrains.Server.Extensions;

internal static class WebExtensions
{
    public static WebApplicationBuilder AddMoodGrainsWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddMoodGrainsOptions<RedisOptions>(RedisOptions.Section);
        builder.Services.AddMoodGrainsOptions<GuestSessionOptions>(GuestSessionOptions.Section);
        builder.Services.AddSingleton<GuestTokens>();
        builder.Services.AddSingleton<DatabaseInitializer>();
        builder.Services.AddSingleton<MoodGrains.Storage.Users.GuestDataRepository>();
        builder.Services.AddAuthentication(GuestAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, GuestAuthenticationHandler>(GuestAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization();
        builder.Services.AddProblemDetails();
        builder.Services.AddMoodGrainsHealthChecks();
        builder.Services.AddMoodGrainsOptions<RateLimitOptions>(RateLimitOptions.Section).ValidateWith<RateLimitOptions, RateLimitOptionsValidator>();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>, MoodGrainsMetrics>(
            (o, limits, metrics) => RateLimitPolicies.Configure(o, limits.Value, metrics));
        builder.Services.AddSingleton<HubRateLimitFilter>();

        builder.Logging.AddFilter(RoomRefusalLogging.DispatcherCategory, LogLevel.None);

        // Frames arrive as base64 in JSON (4/3 of their size): 2 MiB lets a frame up to about 1.5 MB reach the analyzer,
        // which refuses anything over its 512 KB limit with a reason instead of the connection closing without one.
        builder.Services.AddSignalR(o =>
            {
                o.MaximumReceiveMessageSize = 2 * 1024 * 1024;
                o.AddFilter<HubRateLimitFilter>();
                o.AddFilter<RoomRefusalLogging>();
                o.AddFilter<TransientFaultFilter>();
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        // Pushes reach this silo's connections directly and the other silos over Redis when it is configured and
        // answering; the silo starts and serves without it (see BackplaneHubLifetimeManager).
        builder.Services.AddSingleton<RedisLink>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RedisLink>());
        builder.Services.AddSingleton(typeof(HubLifetimeManager<>), typeof(BackplaneHubLifetimeManager<>));
        builder.Services.AddHostedService<BackplaneListener<RoomHub>>();
        return builder;
    }

    public static WebApplication MapMoodGrains(this WebApplication app)
    {
        app.UseMoodGrainsSecurityHeaders();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapHealthApi();
        app.MapSessionApi();
        app.MapRoomsApi();
        app.MapLibraryApi();
        app.MapSpotifyApi();
        app.MapMeApi();
        app.MapHub<RoomHub>(GuestAuthenticationHandler.HubPath);
        return app;
    }
}
