using System.Net;
using System.Text;
using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.Api.Tests.Infrastructure;
using EventSourcedDisclosure.Testing;
using Npgsql;

namespace EventSourcedDisclosure.Api.Tests.Lifecycle;

/// <summary>SIGTERM while a command is in flight: the command completes and is answered, the daemon's checkpoint matches what it applied, exit 0.</summary>
public sealed class GracefulShutdownTests
{
    private static readonly byte[] Key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    [Fact]
    public async Task A_request_in_flight_at_SIGTERM_completes_and_the_process_exits_cleanly()
    {
        await using var database = await TestCluster.CreateDatabaseAsync(durable: true);
        var environment = ApiProcess.Deployment(database.ConnectionString, Key, Key);
        var token = TokenIssuer.Mint(Key, "clerk", "clerk", ["*:admin", "*:requestOfficer"]);
        await using var api = ApiProcess.Start(AppContext.BaseDirectory, environment);
        await api.WaitReadyAsync(TimeSpan.FromSeconds(60));
        using var client = api.Client(token);
        (await client.SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/calm", new { name = "平稳局", region = "130525", indexPrefix = "calm" }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);

        // The body arrives in two halves; the process is told to stop between them.
        var body = System.Text.Json.JsonSerializer.Serialize(RequestSteps.Receive("2025-03-03", "inPerson"));
        var content = new SlowContent(body).Init();
        var sending = client.PostAsync("/api/v1/agencies/calm/requests", content);
        await content.FirstHalfSent.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(300);
        api.Terminate();
        await Task.Delay(500);
        content.SendRest.SetResult();

        var response = await sending;
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        (await api.WaitForExitAsync(TimeSpan.FromSeconds(30))).ShouldBe(0, api.Output);
        (await ScalarAsync(database, "select count(*) from disclosure.events where type = 'request.received.v1'")).ShouldBe(1);

        // What the daemon committed is exactly what its checkpoint says it applied: nothing lost, nothing twice.
        var applied = await ScalarAsync(database, "select coalesce(sum(events), 0)::bigint from disclosure.agency_activity");
        var upToCheckpoint = await ScalarAsync(database, """
            select count(*) from disclosure.events e, disclosure.projection_progress p
             where p.name = 'activity' and (e.tx, e.seq) <= (p.last_tx, p.last_seq)
            """);
        applied.ShouldBe(upToCheckpoint);
    }

    private sealed class SlowContent(string json) : HttpContent
    {
        public TaskCompletionSource FirstHalfSent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource SendRest { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            await stream.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
            await stream.FlushAsync();
            FirstHalfSent.SetResult();
            await SendRest.Task;
            await stream.WriteAsync(bytes.AsMemory(bytes.Length / 2));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false; // chunked: the headers go before the body is complete
        }

        public SlowContent Init()
        {
            Headers.ContentType = new("application/json");
            return this;
        }
    }

    private static async Task<long> ScalarAsync(TestDatabase database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
