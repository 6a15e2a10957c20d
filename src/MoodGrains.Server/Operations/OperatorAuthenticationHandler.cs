using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MoodGrains.Server.Operations;

/// <summary>
/// The operator's credential: <c>Authorization: Basic</c> (any user name, so a browser's own prompt works) or
/// <c>Authorization: Bearer</c>, compared in constant time with <see cref="OperatorOptions.DashboardPassword"/>.
/// Guest tokens never pass here: operator endpoints ask for this scheme alone.
/// </summary>
public sealed class OperatorAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<OperatorOptions> operatorOptions) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Operator";

    public const string PolicyName = "Operator";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var expected = operatorOptions.Value.DashboardPassword;
        var header = Request.Headers.Authorization.ToString();
        string? presented = null;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = header["Bearer ".Length..].Trim();
        }
        else if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            presented = PasswordOf(header["Basic ".Length..].Trim());
        }

        if (presented is null || string.IsNullOrEmpty(expected))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected)))
        {
            return Task.FromResult(AuthenticateResult.Fail("Wrong operator credential."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Role, "operator")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // Lets a browser ask for the password itself.
        Response.Headers.WWWAuthenticate = "Basic realm=\"MoodGrains operator\", charset=\"UTF-8\"";
        return base.HandleChallengeAsync(properties);
    }

    private static string? PasswordOf(string encoded)
    {
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : decoded[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
