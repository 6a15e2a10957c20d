using MoodGrains.Server.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddMoodGrainsConfiguration(args);
builder.AddMoodGrainsServer();

var app = builder.Build();
if (!app.ValidateMoodGrainsOptions())
{
    return 1;
}

await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(app.Lifetime.ApplicationStopping);
app.MapMoodGrains();
app.MapMoodGrainsTelemetry();
app.MapMoodGrainsDashboard();
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
