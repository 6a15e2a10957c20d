using Microsoft.Extensions.Options;
using MoodGrains.Server.Vision;
using MoodGrains.Vision;

namespace MoodGrains.Server.Extensions;

internal static class VisionExtensions
{
    /// <summary>
    /// The frame analyzer (models from <c>models/</c> beside the binaries unless configured) and the worker pool.
    /// The analyzer loads its models when the host starts, so a missing or broken model stops start-up with its path.
    /// The live vision setting is the <c>MoodGrains:Vision</c> section of appsettings.json, over the library's
    /// most accurate (offline) defaults.
    /// </summary>
    public static IServiceCollection AddMoodGrainsVision(this IServiceCollection services)
    {
        services.AddMoodGrainsOptions<VisionOptions>(VisionOptions.Section)
            .PostConfigure(o =>
            {
                if (!Path.IsPathRooted(o.ModelDirectory))
                {
                    o.ModelDirectory = Path.Combine(AppContext.BaseDirectory, o.ModelDirectory);
                }
            })
            .ValidateWith<VisionOptions, VisionOptionsValidator>();
        services.AddSingleton(sp =>
        {
            // The inference pool already runs one frame per core; OpenCV's own worker threads inside a frame would
            // only compete with the other workers on a machine this size.
            OpenCvSharp.Cv2.SetNumThreads(1);
            return new FrameAnalyzer(sp.GetRequiredService<IOptions<VisionOptions>>().Value);
        });
        services.AddMoodGrainsOptions<InferenceOptions>(InferenceOptions.Section);
        services.AddSingleton<FrameInferencePool>();
        services.AddHostedService(sp => sp.GetRequiredService<FrameInferencePool>());
        return services;
    }

    /// <summary>The library's own rules (ranges and model files on disk), whose messages already name the full key.</summary>
    private sealed class VisionOptionsValidator : IValidateOptions<VisionOptions>
    {
        public ValidateOptionsResult Validate(string? name, VisionOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
