using Microsoft.Extensions.Options;
using MoodGrains.Server.Vision;
using MoodGrains.Vision;

namespace MoodGrains.Server.Extensions;

internal static class VisionExtensions
{
    public const string Section = "MoodGrains:Vision";

    /// <summary>
    /// The frame analyzer (models from <c>models/</c> beside the binaries unless configured) and the worker pool.
    /// The analyzer loads its models when the host starts, so a missing or broken model stops start-up with its path.
    /// </summary>
    public static IServiceCollection AddMoodGrainsVision(this IServiceCollection services)
    {
        services.AddOptions<VisionOptions>()
            .BindConfiguration(Section)
            .PostConfigure(o =>
            {
                if (!Path.IsPathRooted(o.ModelDirectory))
                {
                    o.ModelDirectory = Path.Combine(AppContext.BaseDirectory, o.ModelDirectory);
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<VisionOptions>, VisionOptionsValidator>();
        services.AddSingleton(sp =>
        {
            // The inference pool already runs one frame per core; OpenCV's own worker threads inside a frame would
            // only compete with the other workers on a machine this size.
            OpenCvSharp.Cv2.SetNumThreads(1);
            return new FrameAnalyzer(sp.GetRequiredService<IOptions<VisionOptions>>().Value);
        });
        services.AddOptions<InferenceOptions>().BindConfiguration(InferenceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<FrameInferencePool>();
        services.AddHostedService(sp => sp.GetRequiredService<FrameInferencePool>());
        return services;
    }

    private sealed class VisionOptionsValidator : IValidateOptions<VisionOptions>
    {
        public ValidateOptionsResult Validate(string? name, VisionOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Select(e => $"{Section}: {e}"));
        }
    }
}
