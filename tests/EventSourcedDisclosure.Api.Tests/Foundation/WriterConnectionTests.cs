using System.Net;
using EventSourcedDisclosure.Api.Tests.Infrastructure;
using Npgsql;

namespace EventSourcedDisclosure.Api.Tests.Foundation;

/// <summary>
/// A writer keeps its connection from batch to batch (<c>WriterConnection</c>). When the database
/// ends that connection — a restart, a failover, an administrator — the writer takes a new one:
/// at most the command that found it dead fails, as one on a dead pooled connection would, and
/// every command after it is written.
/// </summary>
public sealed class WriterConnectionTests(SingleWriterApi api) : IClassFixture<SingleWriterApi>
{
    private static async Task<HttpStatusCode> RegisterAsync(HttpClient admin, string agency) =>
        (await admin.SendJsonAsync(HttpMethod.Put, $"/api/v1/agencies/{agency}", new { name = $"{agency}局", region = "130525", indexPrefix = agency }))
        .StatusCode;

    // Every backend of the API's database, the writer's among them, as pg_terminate_backend ends them in a failover drill.
    private async Task<int> EndApiConnectionsAsync()
    {
        await using var connection = new NpgsqlConnection(api.Database.ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select count(*) filter (where pg_terminate_backend(pid)) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
            connection);
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_writer_whose_connection_the_database_ended_takes_another_and_the_commands_after_are_written()
    {
        var admin = api.ClientAs("admin");
        (await RegisterAsync(admin, "wc-0")).ShouldBe(HttpStatusCode.Created); // the writer now keeps a connection

        (await EndApiConnectionsAsync()).ShouldBeGreaterThan(0);

        var after = new List<HttpStatusCode>();
        for (var i = 1; i <= 4; i++) after.Add(await RegisterAsync(admin, $"wc-{i}"));
        after.Skip(1).ShouldAllBe(status => status == HttpStatusCode.Created);
    }
}
