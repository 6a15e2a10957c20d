using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MoodGrains.Grains.Rooms;
using MoodGrains.Grains.Users;
using MoodGrains.Hosting.Local;
using MoodGrains.Music.Spotify;
using MoodGrains.Recommendations.Collaborative;
using MoodGrains.Recommendations.Hybrid;
using MoodGrains.Server.Extensions;
using MoodGrains.Server.Library;
using MoodGrains.Server.Limits;
using MoodGrains.Server.Operations;
using MoodGrains.Server.Options;
using MoodGrains.Server.Privacy;
using MoodGrains.Server.Recommendations;
using MoodGrains.Server.Telemetry;
using MoodGrains.Server.Vision;
using MoodGrains.Vision;

namespace MoodGrains.Server.Tests;

/// <summary>
/// The host's options, registered exactly as Program.cs registers them (the host is built, not started): each class
/// binds from its real <c>MoodGrains:*</c> section, a bad value fails start-up naming the full key, and the defaults
/// are the ones README.md documents.
/// </summary>
public sealed class OptionsValidationTests
{
    private static readonly string ServerDirectory = Path.Combine(RepositoryRoot.Path, "src", "MoodGrains.Server");

    /// <summary>What every test host needs to be valid at all: a connection string and the repository's models.</summary>
    private static readonly Dictionary<string, string?> Required = new()
    {
        ["MoodGrains:Postgres:ConnectionString"] = "Host=127.0.0.1;Port=1;Username=nobody",
        ["MoodGrains:Vision:ModelDirectory"] = Path.Combine(RepositoryRoot.Path, "models"),
    };

    /// <summary>Every options class the host binds, with its section.</summary>
    public static TheoryData<Type, string> OptionsClasses => new()
    {
        { typeof(PostgresOptions), "MoodGrains:Postgres" },
        { typeof(RedisOptions), "MoodGrains:Redis" },
        { typeof(ClusterSiloOptions), "MoodGrains:Silo" },
        { typeof(GuestSessionOptions), "MoodGrains:Session" },
        { typeof(KeyRingOptions), "MoodGrains:DataProtection" },
        { typeof(MoodOptions), "MoodGrains:Mood" },
        { typeof(RoomPlanOptions), "MoodGrains:Rooms" },
        { typeof(RoomLimitOptions), "MoodGrains:RoomLimits" },
        { typeof(InferenceOptions), "MoodGrains:Inference" },
        { typeof(VisionOptions), "MoodGrains:Vision" },
        { typeof(SpotifyOptions), "MoodGrains:Spotify" },
        { typeof(RecommendationsOptions), "MoodGrains:Recommendations" },
        { typeof(TelemetryOptions), "MoodGrains:Telemetry" },
        { typeof(OperatorOptions), "MoodGrains:Operator" },
        { typeof(LogFormatOptions), "MoodGrains:Logging" },
        { typeof(KubernetesHostingOptions), "MoodGrains:Kubernetes" },
        { typeof(LibraryOptions), "MoodGrains:Library" },
        { typeof(RateLimitOptions), "MoodGrains:RateLimits" },
        { typeof(RetentionOptions), "MoodGrains:Retention" },
    };

    [Theory]
    [InlineData(typeof(PostgresOptions), "MoodGrains:Postgres:ConnectionString", "Host=db.test;Username=moodgrains")]
    [InlineData(typeof(RedisOptions), "MoodGrains:Redis:ConnectionString", "redis.test:6379")]
    [InlineData(typeof(ClusterSiloOptions), "MoodGrains:Silo:ClusterId", "blue")]
    [InlineData(typeof(ClusterSiloOptions), "MoodGrains:Silo:ResponseTimeout", "00:00:09")]
    [InlineData(typeof(GuestSessionOptions), "MoodGrains:Session:Lifetime", "2.00:00:00")]
    [InlineData(typeof(KeyRingOptions), "MoodGrains:DataProtection:KeyDirectory", "/tmp/moodgrains-keys")]
    [InlineData(typeof(MoodOptions), "MoodGrains:Mood:HalfLife", "00:00:05")]
    [InlineData(typeof(RoomPlanOptions), "MoodGrains:Rooms:PresenceGrace", "00:02:00")]
    [InlineData(typeof(RoomLimitOptions), "MoodGrains:RoomLimits:CloseWhenEmptyFor", "2.00:00:00")]
    [InlineData(typeof(InferenceOptions), "MoodGrains:Inference:QueueCapacity", "7")]
    [InlineData(typeof(VisionOptions), "MoodGrains:Vision:MaxFaces", "3")]
    [InlineData(typeof(SpotifyOptions), "MoodGrains:Spotify:SearchLimit", "5")]
    [InlineData(typeof(RecommendationsOptions), "MoodGrains:Recommendations:Factors", "32")]
    [InlineData(typeof(RecommendationsOptions), "MoodGrains:Recommendations:RetrainInterval", "00:30:00")]
    [InlineData(typeof(TelemetryOptions), "MoodGrains:Telemetry:MetricsPath", "/scrape")]
    [InlineData(typeof(OperatorOptions), "MoodGrains:Operator:DashboardPath", "/ops")]
    [InlineData(typeof(KeyRingOptions), "MoodGrains:DataProtection:KeysInPostgres", "True")]
    [InlineData(typeof(LibraryOptions), "MoodGrains:Library:UrlLifetime", "00:05:00")]
    [InlineData(typeof(RetentionOptions), "MoodGrains:Retention:EmotionProbabilities", "7.00:00:00")]
    public void Each_options_class_binds_from_its_real_section(Type type, string key, string value)
    {
        using var host = BuildHost(new() { [key] = value });

        Assert.Equal(value, Read(host, type, key[(key.LastIndexOf(':') + 1)..]));
    }

    [Theory]
    [MemberData(nameof(OptionsClasses))]
    public void Each_section_constant_is_the_real_key(Type type, string section)
    {
        Assert.Equal(section, type.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetValue(null));
    }

    [Fact]
    public void Every_options_class_in_the_product_is_covered_and_lives_under_MoodGrains()
    {
        var assemblies = new[] { typeof(PostgresOptions), typeof(MoodOptions), typeof(VisionOptions), typeof(SpotifyOptions), typeof(ImplicitAlsOptions) }
            .Select(t => t.Assembly);
        var bound = assemblies.SelectMany(a => a.GetTypes())
            .Where(t => t.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true })
            .ToDictionary(t => t, t => (string)t.GetField("Section")!.GetValue(null)!);

        Assert.All(bound.Values, section => Assert.StartsWith("MoodGrains:", section, StringComparison.Ordinal));
        Assert.Equal(OptionsClasses.Select(row => (Type)row[0]).OrderBy(t => t.Name), bound.Keys.OrderBy(t => t.Name));
    }

    [Theory]
    [InlineData("MoodGrains:Vision:MinDetectionScore", "7")]
    [InlineData("MoodGrains:Vision:CnnFile", "no-such-model.onnx")]
    [InlineData("MoodGrains:Vision:CnnCount", "4")]
    [InlineData("MoodGrains:Inference:Workers", "100")]
    [InlineData("MoodGrains:Silo:ClusterId", "not a cluster id")]
    [InlineData("MoodGrains:Silo:AdvertisedAddress", "somewhere")]
    [InlineData("MoodGrains:Session:Lifetime", "00:00:01")]
    [InlineData("MoodGrains:Mood:HalfLife", "00:00:00.100")]
    [InlineData("MoodGrains:Mood:ManualConfidence", "2")]
    [InlineData("MoodGrains:Rooms:PlanDepth", "0")]
    [InlineData("MoodGrains:RoomLimits:MaxQueue", "0")]
    [InlineData("MoodGrains:Rooms:CommitLead", "00:10:00")]
    [InlineData("MoodGrains:Spotify:SearchLimit", "20")]
    [InlineData("MoodGrains:Spotify:ApiBaseUrl", "/v1/")]
    [InlineData("MoodGrains:Recommendations:Factors", "2")]
    [InlineData("MoodGrains:Recommendations:RetrainInterval", "00:00:10")]
    [InlineData("MoodGrains:Recommendations:MaxPerArtist", "0")]
    [InlineData("MoodGrains:Library:UrlLifetime", "00:00:01")]
    [InlineData("MoodGrains:Library:Directory", "/no/such/music/folder")]
    [InlineData("MoodGrains:RateLimits:SessionsPerAddress:Limit", "0")]
    [InlineData("MoodGrains:RateLimits:MoodsPerIdentity:PerMinute", "-1")]
    [InlineData("MoodGrains:Retention:Interval", "00:00:00")]
    public void A_bad_value_fails_at_start_with_a_message_naming_the_real_key(string key, string value)
    {
        using var host = BuildHost(new() { [key] = value });

        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(failure.Failures, message => message.Contains(key, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("false")]
    public void The_retired_second_cnn_switch_is_refused_with_the_key_that_replaced_it(string value)
    {
        using var host = BuildHost(new() { ["MoodGrains:Vision:SecondCnn"] = value });

        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());

        var message = Assert.Single(failure.Failures);
        Assert.Contains("MoodGrains:Vision:SecondCnn", message, StringComparison.Ordinal);
        Assert.Contains("MoodGrains:Vision:CnnCount", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_connection_string_names_the_key_and_the_environment_variable()
    {
        using var host = BuildHost(new() { ["MoodGrains:Postgres:ConnectionString"] = null });

        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());

        var message = Assert.Single(failure.Failures);
        Assert.Contains("MoodGrains:Postgres:ConnectionString", message, StringComparison.Ordinal);
        Assert.Contains("MOODGRAINS_POSTGRES", message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_valid_defaults_pass_start_up_validation()
    {
        using var host = BuildHost([]);

        host.Services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void The_server_defaults_are_the_ones_the_readme_documents()
    {
        using var host = BuildHost([]);
        T Get<T>()
            where T : class => host.Services.GetRequiredService<IOptions<T>>().Value;

        var silo = Get<ClusterSiloOptions>();
        Assert.Equal(("moodgrains", "moodgrains", 11111, 30000, "127.0.0.1", TimeSpan.FromSeconds(5)),
            (silo.ClusterId, silo.ServiceId, silo.SiloPort, silo.GatewayPort, silo.AdvertisedAddress, silo.ResponseTimeout));
        Assert.Equal((TimeSpan.FromSeconds(8), 0.8f), (Get<MoodOptions>().HalfLife, Get<MoodOptions>().ManualConfidence));
        var rooms = Get<RoomPlanOptions>();
        Assert.Equal((3, TimeSpan.FromSeconds(20), 0.3f, 0.2f, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60)),
            (rooms.PlanDepth, rooms.CommitLead, rooms.ReplanDistance, rooms.MinConfidence, rooms.FirstTrackWindow, rooms.PresenceGrace));
        var roomLimits = Get<RoomLimitOptions>();
        Assert.Equal((10, 100, 10, TimeSpan.FromHours(24), TimeSpan.FromDays(7)),
            (roomLimits.MaxQueuedPerMember, roomLimits.MaxQueue, roomLimits.SearchResults, roomLimits.CloseWhenEmptyFor, roomLimits.FreeCodeAfter));
        Assert.Null(Get<RedisOptions>().ConnectionString);
        Assert.Null(Get<KeyRingOptions>().KeyDirectory);
        Assert.Equal(TimeSpan.FromDays(30), Get<GuestSessionOptions>().Lifetime);
        var library = Get<LibraryOptions>();
        Assert.Equal(((string?)null, TimeSpan.FromMinutes(10), true), (library.Directory, library.UrlLifetime, library.ScanOnStart));

        var inference = Get<InferenceOptions>();
        Assert.Equal((0, 16, TimeSpan.FromMilliseconds(150), 5d, 8),
            (inference.Workers, inference.QueueCapacity, inference.MaxQueueWait, inference.MaxFramesPerSecond, inference.FrameBurst));

        // The live vision setting comes from appsettings.json: near-face BlazeFace, score >= 0.75, our CNN with its mirror.
        var vision = Get<VisionOptions>();
        Assert.Equal(("blazeface-front.onnx", 0.75f, EmotionModelKind.Cnn, true, false, 1),
            (vision.BlazeFaceFile, vision.MinDetectionScore, vision.EmotionModel, vision.FlipAveraging, vision.MultiCrop, vision.CnnCount));
        Assert.Equal((512 * 1024, 8), (vision.MaxPayloadBytes, vision.MaxFaces));

        var spotify = Get<SpotifyOptions>();
        Assert.False(spotify.IsEnabled);
        Assert.Equal(new Uri("http://127.0.0.1:5080/api/spotify/callback"), spotify.RedirectUri);
        Assert.Equal((TimeSpan.FromSeconds(10), 5, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15)),
            (spotify.MaxRetryAfter, spotify.CircuitBreakerMinimumThroughput, spotify.CircuitBreakerBreakDuration, spotify.AttemptTimeout, spotify.FollowCheckInterval));

        var recommendations = Get<RecommendationsOptions>();
        Assert.Equal((TimeSpan.FromHours(1), (TimeSpan?)TimeSpan.FromDays(180)), (recommendations.RetrainInterval, recommendations.HistoryWindow));
        Assert.Equal((64, 30f, 3f, 15), (recommendations.Factors, recommendations.Regularization, recommendations.Alpha, recommendations.Iterations));
        Assert.Equal((GroupAggregation.Fair, 1), (recommendations.Aggregation, recommendations.MaxPerArtist));

        // Generous enough for the load benchmark's hundreds of members from one address.
        var limits = Get<RateLimitOptions>();
        Assert.Equal((300, 60), (limits.SessionsPerAddress.Limit, limits.SessionsPerAddress.PerMinute));
        Assert.Equal((10, 30), (limits.MoodsPerIdentity.Limit, limits.MoodsPerIdentity.PerMinute));
    }

    [Fact]
    public void The_als_defaults_are_written_once_and_the_server_trains_with_them()
    {
        var library = new ImplicitAlsOptions();
        var server = new RecommendationsOptions().ToAlsOptions();

        Assert.Equal(library, server);
        Assert.Equal(library, new MoodGrains.Recommendations.Serving.RecommenderTrainingOptions().Als);
        Assert.Equal(new HybridOptions().MaxPerArtist, new RecommendationsOptions().MaxPerArtist);
    }

    [Fact]
    public void Command_line_switches_reach_the_silo_options()
    {
        using var host = BuildHost([], ["--silo-port", "12345", "--gateway-port", "23456", "--cluster-id", "green", "--postgres", "Host=switch.test"]);
        var silo = host.Services.GetRequiredService<IOptions<ClusterSiloOptions>>().Value;

        Assert.Equal((12345, 23456, "green"), (silo.SiloPort, silo.GatewayPort, silo.ClusterId));
        Assert.Equal("Host=switch.test", host.Services.GetRequiredService<IOptions<PostgresOptions>>().Value.ConnectionString);
    }

    /// <summary>
    /// The built server itself, started with a bad value: it stops before touching the database (the connection
    /// string points nowhere), exits with 1 and names the key on standard error. The Spotify values arrive through
    /// the short environment variables, so their aliases are checked on the way.
    /// </summary>
    [Theory]
    [InlineData("MoodGrains__Vision__MinDetectionScore", "7", "MoodGrains:Vision:MinDetectionScore must be between 0 and 1")]
    [InlineData("MoodGrains__Recommendations__Factors", "1000", "MoodGrains:Recommendations:Factors must be between 4 and 512")]
    [InlineData("MOODGRAINS_SPOTIFY_REDIRECT_URI", "http://localhost:5080/api/spotify/callback", "MoodGrains:Spotify:RedirectUri 'http://localhost:5080/api/spotify/callback' uses http")]
    [InlineData("MoodGrains__Silo__SiloPort", "70000", "MoodGrains:Silo:SiloPort must be between 1 and 65535")]
    public async Task The_server_process_refuses_to_start_and_names_the_key(string variable, string value, string expected)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(SiloProcess.ServerAssembly)!,
        };
        info.ArgumentList.Add(SiloProcess.ServerAssembly);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{FreePort.Next()}");

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["MOODGRAINS_POSTGRES"] = "Host=127.0.0.1;Port=1;Username=nobody;Timeout=1";
        info.Environment["MOODGRAINS_SPOTIFY_CLIENT_ID"] = "options-test";
        info.Environment.Remove("MOODGRAINS_REDIS");
        info.Environment[variable] = value;

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.Equal(1, process.ExitCode);
        Assert.Contains(expected, await stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Waiting for PostgreSQL", await stdout, StringComparison.Ordinal);
    }

    /// <summary>The host as Program.cs builds it, over the server's real appsettings.json, without starting it.</summary>
    private static WebApplication BuildHost(Dictionary<string, string?> settings, string[]? args = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args ?? [],
            ContentRootPath = ServerDirectory,
            EnvironmentName = "Production",
        });
        builder.Configuration.AddInMemoryCollection(Required);
        builder.AddMoodGrainsConfiguration(args ?? []);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddMoodGrainsServer();
        return builder.Build();
    }

    private static string? Read(WebApplication host, Type type, string property)
    {
        var options = host.Services.GetRequiredService(typeof(IOptions<>).MakeGenericType(type));
        var value = options.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(options)!;
        return Convert.ToString(type.GetProperty(property)!.GetValue(value), CultureInfo.InvariantCulture);
    }
}
