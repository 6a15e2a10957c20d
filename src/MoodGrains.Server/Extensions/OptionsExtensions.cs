using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MoodGrains.Server.Extensions;

/// <summary>
/// The one way the host registers a configurable part: its options class is bound from its own
/// <c>MoodGrains:Xxx</c> section (the class's <c>Section</c> constant), its DataAnnotations are checked with messages
/// that name the full key (<c>MoodGrains:Inference:Workers</c>, not <c>Workers</c>), and everything is validated when
/// the host starts. Rules an attribute cannot say go in an <see cref="IValidateOptions{TOptions}"/> beside the class.
/// </summary>
public static class OptionsExtensions
{
    public static OptionsBuilder<TOptions> AddMoodGrainsOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>>(new SectionAnnotationsValidator<TOptions>(section)));
        return services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
    }

    /// <summary>Adds the validator that holds the rules DataAnnotations cannot express.</summary>
    public static OptionsBuilder<TOptions> ValidateWith<TOptions, TValidator>(this OptionsBuilder<TOptions> builder)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return builder;
    }

    /// <summary>
    /// Runs the start-up validation now, before anything touches the database, and prints every problem (each
    /// naming its configuration key) to standard error. False means the host must not start.
    /// </summary>
    public static bool ValidateMoodGrainsOptions(this WebApplication app)
    {
        try
        {
            app.Services.GetService<IStartupValidator>()?.Validate();
            return true;
        }
        catch (Exception e) when (e is OptionsValidationException or AggregateException or InvalidOperationException)
        {
            var problems = e is AggregateException aggregate ? aggregate.InnerExceptions : [e];
            Console.Error.WriteLine("MoodGrains cannot start: invalid configuration.");
            foreach (var problem in problems)
            {
                var messages = problem is OptionsValidationException invalid ? invalid.Failures : [problem.Message];
                foreach (var message in messages)
                {
                    Console.Error.WriteLine("  " + message);
                }
            }

            return false;
        }
    }
}

/// <summary>DataAnnotations with the full configuration key as each property's display name.</summary>
internal sealed class SectionAnnotationsValidator<TOptions>(string section) : IValidateOptions<TOptions>
    where TOptions : class
{
    private static readonly (PropertyInfo Property, ValidationAttribute[] Rules)[] Rules =
    [
        .. typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (p, p.GetCustomAttributes<ValidationAttribute>(inherit: true).ToArray()))
            .Where(r => r.Item2.Length > 0),
    ];

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var failures = new List<string>();
        foreach (var (property, rules) in Rules)
        {
            var context = new ValidationContext(options) { MemberName = property.Name, DisplayName = $"{section}:{property.Name}" };
            var value = property.GetValue(options);
            foreach (var rule in rules)
            {
                if (rule.GetValidationResult(value, context) is { ErrorMessage: { } message })
                {
                    failures.Add(message);
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
