using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MoodGrains.Hosting.Local;

namespace MoodGrains.Server.Tests;

/// <summary>The Orleans Dashboard: behind the operator's credential when one is configured, absent otherwise.</summary>
[Collection(ServersCollection.Name)]
public sealed class DashboardTests(ServersFixture servers)
{
    private const string Password = "operator-test-password";

    [Fact]
    public async Task The_dashboard_answers_the_operator_and_refuses_everyone_else()
    {
        await using var silo = await SiloProcess.StartAsync(
            await servers.Postgres.CreateDatabaseAsync("dashboard"),
            clusterId: "dashboard",
            environment: new Dictionary<string, string> { ["MoodGrains__Operator__DashboardPassword"] = Password });
        using var http = silo.CreateClient();

        using var anonymous = await http.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Basic", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        using var wrong = await SendAsync(http, "/dashboard/", new AuthenticationHeaderValue("Bearer", "not-the-password"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        // A guest's session token is not an operator credential.
        var guest = await GuestSession.CreateAsync(http);
        using var asGuest = await SendAsync(http, "/dashboard/", new AuthenticationHeaderValue("Bearer", guest.Token));
        Assert.Equal(HttpStatusCode.Unauthorized, asGuest.StatusCode);

        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("anyone:" + Password));
        using var page = await SendAsync(http, "/dashboard/", new AuthenticationHeaderValue("Basic", basic));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("html", (await page.Content.ReadAsStringAsync()).ToLowerInvariant(), StringComparison.Ordinal);

        using var bearer = await SendAsync(http, "/dashboard/", new AuthenticationHeaderValue("Bearer", Password));
        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
    }

    [Fact]
    public async Task Without_a_password_there_is_no_dashboard()
    {
        await using var silo = await SiloProcess.StartAsync(await servers.Postgres.CreateDatabaseAsync("nodashboard"), clusterId: "nodashboard");
        using var http = silo.CreateClient();

        using var response = await SendAsync(http, "/dashboard/", new AuthenticationHeaderValue("Bearer", Password));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, string path, AuthenticationHeaderValue authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = authorization;
        return await http.SendAsync(request);
    }
}
