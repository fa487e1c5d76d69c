using System.Collections.Concurrent;
using System.Net;
using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.Api.Tests.Infrastructure;
using EventSourcedDisclosure.Testing;
using Npgsql;

namespace EventSourcedDisclosure.Api.Tests.Lifecycle;

/// <summary>
/// kill -9 while writers are busy: every acknowledged write is in the log after the restart,
/// and the async projection resumes from its checkpoint without applying anything twice.
/// </summary>
public sealed class KillDuringWritesTests
{
    private static readonly byte[] Key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    [Fact]
    public async Task Acknowledged_writes_survive_and_the_daemon_resumes_without_double_applying()
    {
        await using var database = await TestCluster.CreateDatabaseAsync(durable: true);
        var environment = ApiProcess.Deployment(database.ConnectionString, Key);
        environment["Projections__PollMilliseconds"] = "20";
        var token = TokenIssuer.Mint(Key, "writer", "writer", ["*:admin"]);
        var workingDirectory = AppContext.BaseDirectory;

        var acknowledged = new ConcurrentBag<(string Agency, long Version)>();
        await using (var first = ApiProcess.Start(workingDirectory, environment))
        {
            await first.WaitReadyAsync(TimeSpan.FromSeconds(60));
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                using var client = first.Client(token);
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var agency = $"w{w}-a{i % 5}"; // five agencies per writer, renamed over and over
                    try
                    {
                        var response = await client.SendJsonAsync(HttpMethod.Put, $"/api/v1/agencies/{agency}",
                            new { name = $"机关 {w}-{i}", region = "130525", indexPrefix = agency });
                        if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
                            acknowledged.Add((agency, long.Parse(response.ETag()!.Trim('"'))));
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return; } // the process is gone
                }
            })).ToList();

            await Task.Delay(1500);
            first.KillHard();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }
        acknowledged.Count.ShouldBeGreaterThan(50);

        var checkpointAtKill = await ScalarAsync(database, "select last_seq from disclosure.projection_progress where name = 'activity'");
        checkpointAtKill.ShouldBeGreaterThan(0);

        // Every acknowledged version is in its stream.
        var stored = await VersionsAsync(database);
        acknowledged.Where(a => !stored.Contains(a)).ShouldBeEmpty();

        await using var second = ApiProcess.Start(workingDirectory, environment);
        await second.WaitReadyAsync(TimeSpan.FromSeconds(60));
        await Projections.CaughtUpAsync(database.ConnectionString, "activity");

        var projected = await CountsAsync(database, "select tenant_id, event_type, events from disclosure.agency_activity");
        var direct = await CountsAsync(database, "select tenant_id, type, count(*) from disclosure.events group by 1, 2");
        projected.ShouldBe(direct, ignoreOrder: true);
    }

    private static async Task<long> ScalarAsync(TestDatabase database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync() is long value ? value : 0;
    }

    private static async Task<HashSet<(string, long)>> VersionsAsync(TestDatabase database)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select tenant_id, version from disclosure.events", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var set = new HashSet<(string, long)>();
        while (await reader.ReadAsync()) set.Add((reader.GetString(0), reader.GetInt64(1)));
        return set;
    }

    private static async Task<List<(string, string, long)>> CountsAsync(TestDatabase database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string, long)>();
        while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        return rows;
    }
}
