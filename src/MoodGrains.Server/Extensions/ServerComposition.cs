namespace MoodGrains.Server.Extensions;

/// <summary>
/// Everything the server registers once its configuration is in place: one list for <c>Program.cs</c> and for the tests
/// that build the real host to check its options.
/// </summary>
internal static class ServerComposition
{
    public static WebApplicationBuilder AddMoodGrainsServer(this WebApplicationBuilder builder)
    {
        builder.AddMoodGrainsLogging();
        builder.AddMoodGrainsWeb();
        builder.AddMoodGrainsSilo();
        builder.Services.AddMusic(builder.Configuration);
        builder.AddMoodGrainsContainerHosting();
        builder.AddRecommendations();
        builder.Services.AddMoodGrainsVision();
        builder.AddMoodGrainsTelemetry();
        builder.AddMoodGrainsDashboard();
        return builder;
    }
}
