using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using MoodGrains.Hosting.Local;

namespace MoodGrains.Server.Tests;

/// <summary>
/// The abuse limits at the edge, on an in-process server with tight limits: every HTTP policy by address and by
/// identity (429 with Retry-After), and the hub's per-identity limits (TooFast, the call not made). Each test speaks
/// from addresses of its own, so the buckets of one test never decide another.
/// </summary>
public sealed class RateLimitTests(LimitedServerFixture server) : IClassFixture<LimitedServerFixture>
{
    private const string UnknownRoom = "ZZZZZZ";

    [Fact]
    public async Task Session_minting_is_limited_per_address_with_Retry_After()
    {
        using var flooder = server.ClientFrom(server.NewAddress());
        using var neighbour = server.ClientFrom(server.NewAddress());

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < LimitedServerFixture.AddressLimit + 1; i++)
        {
            var response = await flooder.PostAsync(new Uri("/api/session", UriKind.Relative), null);
            statuses.Add(response.StatusCode);
            refused = response;
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, LimitedServerFixture.AddressLimit), HttpStatusCode.TooManyRequests], statuses);
        await AssertTooManyAsync(refused!);
        Assert.Equal(HttpStatusCode.OK, (await neighbour.PostAsync(new Uri("/api/session", UriKind.Relative), null)).StatusCode);
    }

    public static TheoryData<string> Policies => new() { "create", "join", "read", "search" };

    [Theory]
    [MemberData(nameof(Policies))]
    public async Task One_identity_is_limited_even_from_many_addresses(string policy)
    {
        var session = await server.SignInAsync();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < LimitedServerFixture.IdentityLimit + 1; i++)
        {
            // A fresh address each time: only the identity's own bucket can refuse.
            using var http = session.Authorize(server.ClientFrom(server.NewAddress()));
            using var response = await SendAsync(http, policy);
            statuses.Add(response.StatusCode);
            if (i == LimitedServerFixture.IdentityLimit)
            {
                await AssertTooManyAsync(response);
            }
        }

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses[..LimitedServerFixture.IdentityLimit]);
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public async Task One_address_is_limited_even_with_many_identities(string policy)
    {
        var address = server.NewAddress();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < LimitedServerFixture.AddressLimit + 1; i++)
        {
            // A fresh identity each time: only the address's bucket can refuse.
            var session = await server.SignInAsync();
            using var http = session.Authorize(server.ClientFrom(address));
            using var response = await SendAsync(http, policy);
            statuses.Add(response.StatusCode);
            if (i == LimitedServerFixture.AddressLimit)
            {
                await AssertTooManyAsync(response);
            }
        }

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses[..LimitedServerFixture.AddressLimit]);
    }

    public static TheoryData<string, object?[]> HubCalls => new()
    {
        { "SetManualMood", ["happy"] },
        { "AddTrack", [UnknownRoom, 1L] },
        { "VoteSkip", [UnknownRoom] },
        { "Rate", [UnknownRoom, true] },
        { "ClearRating", [UnknownRoom] },
        { "JoinRoom", [UnknownRoom, "Ann"] },
        { "SearchTracks", [UnknownRoom, "love"] },
    };

    [Theory]
    [MemberData(nameof(HubCalls))]
    public async Task Hub_calls_beyond_the_identity_limit_answer_TooFast_and_others_are_unaffected(string method, object?[] args)
    {
        await using var flooder = await server.ConnectAsync();
        await using var other = await server.ConnectAsync();

        var errors = new List<string>();
        for (var i = 0; i < LimitedServerFixture.IdentityLimit + 1; i++)
        {
            errors.Add(await ErrorOfAsync(flooder, method, args));
        }

        Assert.All(errors[..LimitedServerFixture.IdentityLimit], e => Assert.DoesNotContain("TooFast", e, StringComparison.Ordinal));
        Assert.Contains("HubException: TooFast: Too many", errors[^1], StringComparison.Ordinal);
        Assert.Matches(@"try again in \d+ s", errors[^1]);
        Assert.DoesNotContain("TooFast", await ErrorOfAsync(other, method, args), StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string policy) => policy switch
    {
        "create" => http.PostAsJsonAsync("/api/rooms", new { displayName = "Ann" }),
        "join" => http.PostAsJsonAsync($"/api/rooms/{UnknownRoom}/members", new { displayName = "Ann" }),
        "read" => http.GetAsync(new Uri($"/api/rooms/{UnknownRoom}", UriKind.Relative)),
        "search" => http.GetAsync(new Uri("/api/spotify/search?q=love", UriKind.Relative)),
        _ => throw new ArgumentOutOfRangeException(nameof(policy)),
    };

    private static async Task AssertTooManyAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));
        Assert.Equal((HttpStatusCode.TooManyRequests, "TooFast"), await HttpRooms.ReadProblemAsync(response));
    }

    private static async Task<string> ErrorOfAsync(HubConnection hub, string method, object?[] args)
    {
        try
        {
            await hub.InvokeCoreAsync<object>(method, args);
            return string.Empty;
        }
        catch (HubException e)
        {
            return e.Message;
        }
    }
}

/// <summary>An in-process server with limits small enough to reach in a test: 4 per address, 2 per identity, 1 a minute.</summary>
public sealed class LimitedServerFixture : IAsyncLifetime
{
    public const int AddressLimit = 4;
    public const int IdentityLimit = 2;

    private PostgresServer _postgres = null!;
    private int _addresses;

    public ServerFactory Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        var settings = new Dictionary<string, string?>();
        foreach (var bucket in new[] { "SessionsPerAddress", "RoomCreatesPerAddress", "RoomJoinsPerAddress", "RoomReadsPerAddress", "SearchesPerAddress" })
        {
            settings[$"MoodGrains:RateLimits:{bucket}:Limit"] = AddressLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings[$"MoodGrains:RateLimits:{bucket}:PerMinute"] = "1";
        }

        foreach (var bucket in new[] { "RoomCreatesPerIdentity", "RoomJoinsPerIdentity", "RoomReadsPerIdentity", "SearchesPerIdentity", "MoodsPerIdentity", "TrackAddsPerIdentity", "VotesPerIdentity" })
        {
            settings[$"MoodGrains:RateLimits:{bucket}:Limit"] = IdentityLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings[$"MoodGrains:RateLimits:{bucket}:PerMinute"] = "1";
        }

        Factory = new ServerFactory(await _postgres.CreateDatabaseAsync("limits"), settings);
        using var client = Factory.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!(await client.GetAsync(new Uri("/health", UriKind.Relative))).IsSuccessStatusCode)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The rate-limited server did not become healthy.");
            }

            await Task.Delay(250);
        }
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    /// <summary>An address no other request of this run has used (10.x.y.z, counted up).</summary>
    public IPAddress NewAddress()
    {
        var n = Interlocked.Increment(ref _addresses);
        return new IPAddress([10, (byte)(n >> 16), (byte)(n >> 8), (byte)n]);
    }

    /// <summary>An HTTP client whose requests reach the server as if sent from <paramref name="address"/>.</summary>
    public HttpClient ClientFrom(IPAddress address) =>
        new(Factory.Server.CreateHandler(context => context.Connection.RemoteIpAddress = address)) { BaseAddress = Factory.Server.BaseAddress };

    /// <summary>A guest session minted from an address of its own, so minting never meets the per-address limit.</summary>
    public async Task<GuestSession> SignInAsync()
    {
        using var http = ClientFrom(NewAddress());
        return await GuestSession.CreateAsync(http);
    }

    public async Task<HubConnection> ConnectAsync()
    {
        var session = await SignInAsync();
        var address = NewAddress();
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(Factory.Server.BaseAddress, "/hubs/room"), o =>
            {
                o.HttpMessageHandlerFactory = _ => Factory.Server.CreateHandler(context => context.Connection.RemoteIpAddress = address);
                o.Transports = HttpTransportType.LongPolling;
                o.AccessTokenProvider = () => Task.FromResult<string?>(session.Token);
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .Build();
        await hub.StartAsync();
        return hub;
    }
}
