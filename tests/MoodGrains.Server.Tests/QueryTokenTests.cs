using System.Net;
using MoodGrains.Hosting.Local;

namespace MoodGrains.Server.Tests;

/// <summary>
/// A guest token in the query string counts only on the room hub, where browsers cannot send headers; anywhere else
/// it would end up in access logs and browser histories, so REST endpoints ignore it.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class QueryTokenTests(WebServerFixture web)
{
    [Fact]
    public async Task The_hub_accepts_a_token_in_the_query_string()
    {
        using var http = web.Factory.CreateClient();
        var session = await GuestSession.CreateAsync(http);

        using var negotiate = await http.PostAsync(new Uri($"/hubs/room/negotiate?negotiateVersion=1&access_token={session.Token}", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.OK, negotiate.StatusCode);
    }

    [Theory]
    [InlineData("/api/spotify/status")]
    [InlineData("/api/rooms/ZZZZZZ")]
    public async Task REST_endpoints_ignore_a_token_in_the_query_string(string path)
    {
        using var http = web.Factory.CreateClient();
        var session = await GuestSession.CreateAsync(http);

        using var fromQuery = await http.GetAsync(new Uri($"{path}?access_token={session.Token}", UriKind.Relative));
        using var fromHeader = await session.Authorize(web.Factory.CreateClient()).GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, fromQuery.StatusCode);
        Assert.NotEqual(HttpStatusCode.Unauthorized, fromHeader.StatusCode);
    }
}
