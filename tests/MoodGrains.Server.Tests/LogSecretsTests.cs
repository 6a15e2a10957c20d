using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using MoodGrains.Hosting.Local;
using Npgsql;

namespace MoodGrains.Server.Tests;

/// <summary>
/// A server run with JSON logs and Orleans' start-up logging on: lines are JSON with trace ids, and none carries the
/// session signing key, the database password, a guest token or a member's display name.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class LogSecretsTests(ServersFixture servers)
{
    private const string SigningKey = "c2VjcmV0LXNpZ25pbmcta2V5LWZvci1sb2ctdGVzdHMtMzJi";
    private const string DatabasePassword = "pg-password-never-logged";
    private const string DisplayName = "Zelda Quixotewright";

    [Fact]
    public async Task Json_logs_carry_trace_ids_and_no_secrets()
    {
        // The test PostgreSQL trusts local connections, so the password is carried but never needed.
        var connectionString = new NpgsqlConnectionStringBuilder(await servers.Postgres.CreateDatabaseAsync("logs")) { Password = DatabasePassword }.ConnectionString;
        var silo = await SiloProcess.StartAsync(connectionString, servers.Redis.ConnectionString, clusterId: "logs", sessionKey: SigningKey,
            environment: new Dictionary<string, string>
            {
                ["MoodGrains__Logging__Json"] = "true",
                ["Logging__LogLevel__Orleans"] = "Information",
                ["Logging__LogLevel__Microsoft.AspNetCore.Authentication"] = "Information",
            });
        string token;
        try
        {
            await using (var person = await RoomConnection.ConnectAsync(silo))
            {
                token = person.Session.Token;
                var room = await person.InvokeAsync("CreateRoom", DisplayName, false);
                await person.Hub.InvokeCoreAsync<JsonElement>("SendFrame", [new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }]);
                await person.InvokeAsync("ResumeRoom", room.Code);
            }

            // A forged token: the refusal is logged (Authentication at Information) inside a traced request.
            using var http = silo.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/rooms");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token + "x");
            using var refused = await http.SendAsync(request);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        finally
        {
            await silo.DisposeAsync();
        }

        var lines = silo.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(lines);
        var entries = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.All(entries, e => Assert.True(e.TryGetProperty("Category", out _), "every line is a JSON log entry"));
        Assert.Contains(entries, e => e.TryGetProperty("Scopes", out var scopes) &&
            scopes.EnumerateArray().Any(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("TraceId", out var id) && id.GetString()!.Trim('0').Length > 0));

        foreach (var secret in new[] { SigningKey, DatabasePassword, token, token.Split('.')[^1], DisplayName })
        {
            Assert.DoesNotContain(secret, silo.Output, StringComparison.Ordinal);
        }
    }
}
