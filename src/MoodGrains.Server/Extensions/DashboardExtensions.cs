using Microsoft.AspNetCore.Authentication;
using MoodGrains.Server.Operations;
using Orleans.Dashboard;

namespace MoodGrains.Server.Extensions;

internal static class DashboardExtensions
{
    /// <summary>
    /// The Orleans Dashboard (grains, silos, calls per second), for operators only: on when
    /// <c>MoodGrains:Operator:DashboardPassword</c> is set, and then behind that credential.
    /// </summary>
    public static WebApplicationBuilder AddMoodGrainsDashboard(this WebApplicationBuilder builder)
    {
        builder.Services.AddMoodGrainsOptions<OperatorOptions>(OperatorOptions.Section);
        var options = builder.Configuration.GetSection(OperatorOptions.Section).Get<OperatorOptions>() ?? new OperatorOptions();
        if (!options.DashboardEnabled)
        {
            return builder;
        }

        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, OperatorAuthenticationHandler>(OperatorAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(OperatorAuthenticationHandler.PolicyName, p => p
                .AddAuthenticationSchemes(OperatorAuthenticationHandler.SchemeName)
                .RequireRole("operator"));
        builder.UseOrleans(orleans => orleans.AddDashboard());
        return builder;
    }

    public static WebApplication MapMoodGrainsDashboard(this WebApplication app)
    {
        var options = app.Configuration.GetSection(OperatorOptions.Section).Get<OperatorOptions>() ?? new OperatorOptions();
        if (options.DashboardEnabled)
        {
            app.MapOrleansDashboard(options.DashboardPath).RequireAuthorization(OperatorAuthenticationHandler.PolicyName);
        }

        return app;
    }
}
