using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Storage;

namespace MoodGrains.Storage.Tests.Orleans;

/// <summary>
/// Runs real silos against a real PostgreSQL holding only our own Orleans schema, so a query key, parameter or
/// column name that does not match what the 10.4.2 providers expect fails here and not on the first deployment.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OrleansAdoNetProvidersTests(PostgresFixture fixture)
{
    private const int Active = 3;
    private const int Dead = 6;

    // Every key the 10.4.2 providers load at start-up; any one missing stops the silo.
    private static readonly string[] RequiredQueryKeys =
    [
        "GatewaysQueryKey", "MembershipReadRowKey", "MembershipReadAllKey", "InsertMembershipVersionKey",
        "UpdateIAmAlivetimeKey", "InsertMembershipKey", "UpdateMembershipKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey",
        "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey",
        "ReadReminderRowsKey", "ReadRangeRows1Key", "ReadRangeRows2Key", "ReadReminderRowKey",
        "UpsertReminderRowKey", "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    [Fact]
    public async Task Schema_applies_repeatedly_and_concurrently_and_installs_every_required_query()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync("orleans_schema");

        await OrleansSchema.ApplyAsync(connectionString);
        await OrleansSchema.ApplyAsync(connectionString);
        // Silos starting together all apply the schema at once.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => OrleansSchema.ApplyAsync(connectionString)));

        var keys = await QueryAsync(connectionString, "SELECT QueryKey FROM OrleansQuery", r => r.GetString(0));
        Assert.Subset(keys.ToHashSet(), RequiredQueryKeys.ToHashSet());
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Equal(["01-main.sql", "02-clustering.sql", "03-persistence.sql", "04-reminders.sql"], OrleansSchema.ScriptNames);
    }

    [Fact]
    public async Task Grain_state_and_reminders_survive_a_silo_restart_and_state_is_stored_as_plain_json()
    {
        var connectionString = await CreateOrleansDatabaseAsync();
        const string cluster = "restart";

        var first = await ProbeSilo.StartAsync(connectionString, cluster);
        try
        {
            var grain = first.Services.GetRequiredService<IGrainFactory>().GetGrain<IProbeGrain>("alice");
            await grain.SaveAsync("calm", 1);
            await grain.SaveAsync("happy", 2);
            await grain.RegisterReminderAsync("mood-check");

            Assert.Equal(["mood-check"], await grain.GetReminderNamesAsync());
            var members = await MembersAsync(connectionString, cluster);
            var member = Assert.Single(members);
            Assert.Equal(Active, member.Status);
        }
        finally
        {
            await StopAsync(first);
        }

        // A graceful stop leaves the row behind, declared dead by the silo itself.
        Assert.Equal(Dead, Assert.Single(await MembersAsync(connectionString, cluster)).Status);

        var second = await ProbeSilo.StartAsync(connectionString, cluster);
        try
        {
            var grain = second.Services.GetRequiredService<IGrainFactory>().GetGrain<IProbeGrain>("alice");
            var snapshot = await grain.GetAsync();

            Assert.True(snapshot.RecordExists);
            Assert.Equal("happy", snapshot.Mood);
            Assert.Equal(2, snapshot.Plays);
            Assert.Equal(["calm", "happy"], snapshot.History);
            Assert.Equal(["mood-check"], await grain.GetReminderNamesAsync());
        }
        finally
        {
            await StopAsync(second);
        }

        // The provider stores the state name ([PersistentState("probe")]) as the grain type and only the key as the
        // grain id, so the row is found by ("probe", "alice"), not by the grain type "storage-probe".
        var payloads = await QueryAsync(connectionString,
            "SELECT payload FROM orleans_storage WHERE grain_type = 'probe' AND grain_id_extension = 'alice'",
            r => Encoding.UTF8.GetString((byte[])r[0]));
        var json = Assert.Single(payloads);
        Assert.DoesNotContain("$type", json, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        Assert.Equal("happy", document.RootElement.GetProperty("Mood").GetString());
        Assert.Equal(2, document.RootElement.GetProperty("Plays").GetInt32());

        var reminders = await QueryAsync(connectionString,
            "SELECT reminder_name, period_ms, abs(extract(epoch FROM now() - start_time))::float8 FROM orleans_reminders",
            r => (Name: r.GetString(0), PeriodMs: r.GetInt64(1), StartSkewSeconds: r.GetDouble(2)));
        var reminder = Assert.Single(reminders);
        Assert.Equal("mood-check", reminder.Name);
        Assert.Equal((long)TimeSpan.FromMinutes(10).TotalMilliseconds, reminder.PeriodMs);
        // Registered "due in 10 minutes" a moment ago: far from 14 hours off.
        Assert.InRange(reminder.StartSkewSeconds, 0, 3600);
    }

    [Fact]
    public async Task Two_silos_see_each_other_active_and_a_dead_silo_row_can_be_cleaned_up()
    {
        var connectionString = await CreateOrleansDatabaseAsync();
        const string cluster = "pair";

        var a = await ProbeSilo.StartAsync(connectionString, cluster);
        try
        {
            var b = await ProbeSilo.StartAsync(connectionString, cluster);
            var addressA = a.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
            var addressB = b.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
            try
            {
                var seenByA = await WaitForActiveSilosAsync(a, 2);
                var seenByB = await WaitForActiveSilosAsync(b, 2);

                Assert.Equal(new[] { addressA, addressB }.ToHashSet(), seenByA);
                Assert.Equal(seenByA, seenByB);
                var rows = await MembersAsync(connectionString, cluster);
                Assert.Equal(2, rows.Count);
                Assert.All(rows, r => Assert.Equal(Active, r.Status));
            }
            finally
            {
                await StopAsync(b);
            }

            var afterStop = await MembersAsync(connectionString, cluster);
            Assert.Equal(Dead, afterStop.Single(r => r.Port == addressB.Endpoint.Port).Status);
            Assert.Equal(Active, afterStop.Single(r => r.Port == addressA.Endpoint.Port).Status);

            // Orleans' cleanup agent calls this periodically; a cut-off in the future makes the dead row eligible now.
            var table = a.Services.GetRequiredService<IMembershipTable>();
            await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddMinutes(5));

            var remaining = Assert.Single(await MembersAsync(connectionString, cluster));
            Assert.Equal(addressA.Endpoint.Port, remaining.Port);
            Assert.Equal(Active, remaining.Status);
        }
        finally
        {
            await StopAsync(a);
        }
    }

    [Fact]
    public async Task Stale_writes_are_rejected_and_clearing_keeps_the_version_moving()
    {
        var connectionString = await CreateOrleansDatabaseAsync();
        var host = await ProbeSilo.StartAsync(connectionString, "versions");
        try
        {
            var storage = host.Services.GetRequiredKeyedService<IGrainStorage>(ProbeSilo.StorageName);
            var grainId = GrainId.Create("storage-probe", "bob");
            const string stateName = "probe";

            var first = new GrainState<ProbeState>(new ProbeState());
            var second = new GrainState<ProbeState>(new ProbeState());
            await storage.ReadStateAsync(stateName, grainId, first);
            await storage.ReadStateAsync(stateName, grainId, second);
            Assert.False(first.RecordExists);
            Assert.Null(first.ETag);

            first.State!.Mood = "calm";
            await storage.WriteStateAsync(stateName, grainId, first);
            // Two activations that both read "no row": only the first insert may win.
            second.State!.Mood = "angry";
            await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(stateName, grainId, second));

            await storage.ReadStateAsync(stateName, grainId, second);
            Assert.Equal("calm", second.State!.Mood);
            Assert.Equal(first.ETag, second.ETag);
            second.State!.Mood = "tense";
            await storage.WriteStateAsync(stateName, grainId, second);
            Assert.NotEqual(first.ETag, second.ETag);
            // The first holder's version is now stale.
            await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(stateName, grainId, first));

            var etagBeforeClear = second.ETag;
            await storage.ClearStateAsync(stateName, grainId, second);
            Assert.False(second.RecordExists);
            Assert.NotEqual(etagBeforeClear, second.ETag);

            var reread = new GrainState<ProbeState>(new ProbeState());
            await storage.ReadStateAsync(stateName, grainId, reread);
            Assert.False(reread.RecordExists);
            Assert.Equal("", reread.State!.Mood);
            Assert.Equal(second.ETag, reread.ETag);

            // Writing again after a clear continues from the cleared row's version.
            reread.State!.Mood = "happy";
            await storage.WriteStateAsync(stateName, grainId, reread);
            var last = new GrainState<ProbeState>(new ProbeState());
            await storage.ReadStateAsync(stateName, grainId, last);
            Assert.True(last.RecordExists);
            Assert.Equal("happy", last.State!.Mood);
        }
        finally
        {
            await StopAsync(host);
        }
    }

    [Fact]
    public async Task Reminder_ring_ranges_match_orleans_ring_semantics_and_removal_checks_the_etag()
    {
        var connectionString = await CreateOrleansDatabaseAsync();
        var host = await ProbeSilo.StartAsync(connectionString, "ring");
        try
        {
            var table = host.Services.GetRequiredService<IReminderTable>();
            var grains = Enumerable.Range(0, 64).Select(i => GrainId.Create("storage-probe", $"ring-{i}")).ToList();
            var start = DateTime.UtcNow;
            foreach (var grain in grains)
            {
                await table.UpsertRow(new ReminderEntry
                {
                    GrainId = grain, ReminderName = "tick", StartAt = start, Period = TimeSpan.FromMinutes(3),
                });
            }

            var hashes = grains.Select(g => g.GetUniformHashCode()).Order().ToArray();
            // Slices between stored hashes (so boundaries are hit exactly), slices that wrap past uint.MaxValue,
            // slices across the signed/unsigned boundary, and the whole ring (begin == end).
            (uint Begin, uint End)[] ranges =
            [
                (hashes[3], hashes[20]), (hashes[20], hashes[3]), (hashes[0], hashes[^1]), (hashes[^1], hashes[0]),
                (0x7FFF_0000u, 0x8001_0000u), (0x8001_0000u, 0x7FFF_0000u), (uint.MaxValue - 5, 5), (0, 0),
                (hashes[10], hashes[10]),
            ];
            foreach (var (begin, end) in ranges)
            {
                var expected = grains.Where(g => InRing(g.GetUniformHashCode(), begin, end)).ToHashSet();
                var actual = (await table.ReadRows(begin, end)).Reminders.Select(r => r.GrainId).ToHashSet();
                Assert.True(expected.SetEquals(actual),
                    $"Range ({begin:X8}, {end:X8}]: expected {expected.Count} reminders, read {actual.Count}.");
            }

            var entry = await table.ReadRow(grains[0], "tick");
            Assert.NotNull(entry);
            Assert.Equal(TimeSpan.FromMinutes(3), entry.Period);
            var staleETag = entry.ETag;
            entry.Period = TimeSpan.FromMinutes(4);
            var newETag = await table.UpsertRow(entry);
            Assert.NotEqual(staleETag, newETag);

            Assert.False(await table.RemoveRow(grains[0], "tick", staleETag!));
            Assert.True(await table.RemoveRow(grains[0], "tick", newETag!));
            Assert.Null(await table.ReadRow(grains[0], "tick"));
            Assert.Equal(grains.Count - 1, (await table.ReadRows(0, 0)).Reminders.Count);
        }
        finally
        {
            await StopAsync(host);
        }
    }

    /// <summary>Orleans' ring slice (begin, end], wrapping past the top; begin == end is the whole ring.</summary>
    private static bool InRing(uint hash, uint begin, uint end) =>
        begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

    private async Task<string> CreateOrleansDatabaseAsync()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync("orleans");
        // Orleans binds UTC DateTimes; a session time zone far from UTC turns any UTC/local mix-up in the
        // parameter or column types into a 14-hour error that the membership assertions below would catch.
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await ExecuteAsync(fixture.Server.AdminConnectionString, $"ALTER DATABASE \"{database}\" SET timezone = 'Pacific/Kiritimati'");
        // Twice on purpose: every silo start applies it again.
        await OrleansSchema.ApplyAsync(connectionString);
        await OrleansSchema.ApplyAsync(connectionString);
        return connectionString;
    }

    private static async Task StopAsync(IHost host)
    {
        await host.StopAsync();
        host.Dispose();
    }

    private static async Task<HashSet<SiloAddress>> WaitForActiveSilosAsync(IHost host, int expected)
    {
        var membership = host.Services.GetRequiredService<IClusterMembershipService>();
        // A guard against hanging the run if the silos never meet, not a speed requirement.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(guard.Token))
        {
            var active = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToHashSet();
            if (active.Count == expected)
            {
                return active;
            }
        }

        throw new InvalidOperationException("The membership update stream ended before the silos met.");
    }

    /// <summary>A membership row, with how far its heartbeat is from the database clock.</summary>
    private sealed record MemberRow(string Address, int Port, int Status, double HeartbeatSkewSeconds);

    private static async Task<List<MemberRow>> MembersAsync(string connectionString, string cluster)
    {
        var rows = await QueryAsync(connectionString,
            "SELECT address, port, status, abs(extract(epoch FROM now() - i_am_alive_time))::float8 " +
            $"FROM orleans_membership WHERE deployment_id = '{cluster}'",
            r => new MemberRow(r.GetString(0), r.GetInt32(1), r.GetInt32(2), r.GetDouble(3)));
        // Heartbeats are seconds old; an hour or more means a time zone was applied twice or not at all.
        Assert.All(rows, r => Assert.InRange(r.HeartbeatSkewSeconds, 0, 3600));
        return rows;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<T>> QueryAsync<T>(string connectionString, string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
