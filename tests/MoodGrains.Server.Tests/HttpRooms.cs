using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Hosting.Local;

namespace MoodGrains.Server.Tests;

/// <summary>A person using the rooms API of one silo.</summary>
public sealed class HttpRooms(HttpClient http, GuestSession session) : IDisposable
{
    /// <summary>The server's JSON: web defaults with enums as strings.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public GuestSession Session => session;

    public static Task<HttpRooms> SignInAsync(SiloProcess silo) => SignInAsync(silo.CreateClient());

    public static async Task<HttpRooms> SignInAsync(HttpClient http)
    {
        var session = await GuestSession.CreateAsync(http);
        return new HttpRooms(session.Authorize(http), session);
    }

    public Task<HttpResponseMessage> CreateAsync(string name) => http.PostAsJsonAsync("/api/rooms", new { displayName = name });

    public Task<HttpResponseMessage> JoinAsync(string code, string name) => http.PostAsJsonAsync($"/api/rooms/{code}/members", new { displayName = name });

    public Task<HttpResponseMessage> LeaveAsync(string code) => http.DeleteAsync($"/api/rooms/{code}/members/me");

    public Task<HttpResponseMessage> TransferHostAsync(string code, string userId) => http.PostAsJsonAsync($"/api/rooms/{code}/host", new { userId });

    public Task<HttpResponseMessage> GetAsync(string code) => http.GetAsync($"/api/rooms/{code}");

    public Task<HttpResponseMessage> GetRawAsync(string path) => http.GetAsync(path);

    /// <summary>Erases this guest's data.</summary>
    public Task<HttpResponseMessage> DeleteMeAsync() => http.DeleteAsync("/api/me");

    public async Task<string> LocationAsync(string code) =>
        (await http.GetFromJsonAsync<LocationResponse>($"/api/rooms/{code}/location"))!.Silo;

    public static async Task<RoomSnapshot> ReadRoomAsync(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Expected 200, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadFromJsonAsync<RoomSnapshot>(Json))!;
    }

    public static async Task<(HttpStatusCode Status, string? Title)> ReadProblemAsync(HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<ProblemResponse>();
        return (response.StatusCode, problem?.Title);
    }

    public void Dispose() => http.Dispose();

    private sealed record LocationResponse(string Silo);

    private sealed record ProblemResponse(string? Title, string? Detail);
}
