using System.Net;
using EventSourcedDisclosure.Api.Agencies;
using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.Api.Tests.Infrastructure;
using EventSourcedDisclosure.Domain.Agencies;
using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.EventStore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EventSourcedDisclosure.Api.Tests.Foundation;

/// <summary>
/// Group commit: commands of different agencies written in one transaction answer as each would
/// alone, and a command refused inside a batch — by its decision or by PostgreSQL — fails alone.
/// </summary>
public sealed class GroupCommitTests(SingleWriterApi api) : IClassFixture<SingleWriterApi>
{
    private CommandBatcher Batcher => api.Services.GetRequiredService<CommandBatcher>();

    // Each reads the calendar's version alongside its stream, as request commands do: a batch that
    // fails hands those same queries to the commands' runs alone.
    private QueuedCommand<Agency> Register(string agency, string? name = "县教育局",
        Func<EventSession, Task>? inSession = null) =>
        new(AgencyEndpoints.Stream(agency), async (state, session) =>
            {
                if (inSession is not null) await inSession(session);
                return AgencyDecider.Decide(new RegisterAgency(agency, name, "130525", agency, null, null, DateTimeOffset.UtcNow), state);
            },
            (_, version) => new CommandResponse(new { agency, version }),
            [api.Services.GetRequiredService<Calendar.CalendarProvider>().Version(api.Services.GetRequiredService<EventStore.EventStore>(), _ => { })],
            null, null, new EventMetadata("test-admin"));

    private async Task<List<(string Tenant, ulong Tx)>> TransactionsOfAsync(params string[] agencies)
    {
        await using var connection = new NpgsqlConnection(api.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select tenant_id, tx from disclosure.events where tenant_id = any($1) order by tenant_id", connection);
        command.Parameters.Add(new() { Value = agencies });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, ulong)>();
        while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetFieldValue<ulong>(1)));
        return rows;
    }

    [Fact]
    public async Task Commands_of_different_agencies_commit_in_one_transaction_and_each_gets_its_own_answer()
    {
        var before = Batcher.Batched;
        List<QueuedCommand> batch = [Register("gc-c"), Register("gc-a"), Register("gc-b")];

        await Batcher.RunTogetherAsync(batch);

        foreach (var command in batch)
        {
            var outcome = await command.Done.Task;
            outcome.Status.ShouldBe(201);
            outcome.Version.ShouldBe(1);
        }
        var rows = await TransactionsOfAsync("gc-a", "gc-b", "gc-c");
        rows.Select(r => r.Tenant).ShouldBe(["gc-a", "gc-b", "gc-c"]);
        rows.Select(r => r.Tx).Distinct().Count().ShouldBe(1);
        Batcher.Batched.Commands.ShouldBe(before.Commands + 3);
        (await api.ClientAs("reader").GetAsync("/api/v1/agencies/gc-b")).StatusCode.ShouldBe(HttpStatusCode.OK); // the inline read model too
    }

    [Fact]
    public async Task A_command_found_alone_is_counted_as_a_transaction_of_its_own()
    {
        var (batched, alone) = (Batcher.Batched, Batcher.Alone);
        var command = Register("gc-one");

        await Batcher.RunTogetherAsync([command]);

        (await command.Done.Task).Status.ShouldBe(201);
        Batcher.Alone.ShouldBe(alone + 1);
        Batcher.Batched.ShouldBe(batched); // only transactions of more than one are batches
        (await TransactionsOfAsync("gc-one")).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_command_its_decision_refuses_fails_alone_and_the_others_are_written()
    {
        List<QueuedCommand> batch = [Register("gr-a"), Register("gr-b", name: null), Register("gr-c")];
        var retried = Batcher.RetriedAlone;

        await Batcher.RunTogetherAsync(batch);

        Batcher.RetriedAlone.ShouldBe(retried + 3);

        (await batch[0].Done.Task).Status.ShouldBe(201);
        await Should.ThrowAsync<ValidationFailed>(() => batch[1].Done.Task);
        (await batch[2].Done.Task).Status.ShouldBe(201);
        var rows = await TransactionsOfAsync("gr-a", "gr-b", "gr-c");
        rows.Select(r => r.Tenant).ShouldBe(["gr-a", "gr-c"]);
        rows.Select(r => r.Tx).Distinct().Count().ShouldBe(2); // each again alone
    }

    [Fact]
    public async Task A_statement_PostgreSQL_refuses_fails_only_its_own_command()
    {
        // A write queued by the decision that PostgreSQL rejects when the batch is committed.
        List<QueuedCommand> batch =
        [
            Register("gp-a"),
            Register("gp-b", inSession: session =>
            {
                session.Context.Defer(new NpgsqlBatchCommand("select 1 / 0"));
                return Task.CompletedTask;
            }),
            Register("gp-c"),
        ];
        var retried = Batcher.RetriedAlone;

        await Batcher.RunTogetherAsync(batch);

        Batcher.RetriedAlone.ShouldBe(retried + 3);

        (await batch[0].Done.Task).Status.ShouldBe(201);
        (await Should.ThrowAsync<PostgresException>(() => batch[1].Done.Task)).SqlState.ShouldBe(PostgresErrorCodes.DivisionByZero);
        (await batch[2].Done.Task).Status.ShouldBe(201);
        (await TransactionsOfAsync("gp-a", "gp-b", "gp-c")).Select(r => r.Tenant).ShouldBe(["gp-a", "gp-c"]);
    }

    [Fact]
    public async Task Concurrent_requests_over_HTTP_share_transactions_and_each_is_answered_with_its_own_resource()
    {
        var admin = api.ClientAs("admin");
        var before = Batcher.Batched;
        var codes = Enumerable.Range(0, 24).Select(i => $"gh{i:00}").ToArray();

        var responses = await Task.WhenAll(codes.Select(code => admin.SendJsonAsync(HttpMethod.Put, $"/api/v1/agencies/{code}",
            new { name = $"{code}局", region = "130525", indexPrefix = code })));

        for (var i = 0; i < codes.Length; i++)
        {
            responses[i].StatusCode.ShouldBe(HttpStatusCode.Created, await responses[i].Content.ReadAsStringAsync());
            responses[i].Headers.Location!.ToString().ShouldBe($"/api/v1/agencies/{codes[i]}");
            responses[i].ETag().ShouldBe("\"1\"");
            (await responses[i].BodyAsync())["id"]!.GetValue<string>().ShouldBe(codes[i]);
        }
        var rows = await TransactionsOfAsync(codes);
        rows.Select(r => r.Tenant).ShouldBe(codes);
        rows.Select(r => r.Tx).Distinct().Count().ShouldBeLessThan(codes.Length);
        Batcher.Batched.Commands.ShouldBeGreaterThan(before.Commands);
    }

    [Fact]
    public async Task Health_tells_how_long_the_writers_spent_inside_transactions()
    {
        var ready = api.Anonymous();
        var before = (await (await ready.GetAsync("/health/ready")).BodyAsync())["commands"]!;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        (await api.ClientAs("admin").SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/gw-a", new { name = "gw局", region = "130525", indexPrefix = "gwa" }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);

        var after = (await (await ready.GetAsync("/health/ready")).BodyAsync())["commands"]!;
        after["writers"]!.GetValue<int>().ShouldBe(1);
        var spent = after["writersBusySeconds"]!.GetValue<double>() - before["writersBusySeconds"]!.GetValue<double>();
        spent.ShouldBeGreaterThan(0); // the registration's transaction
        spent.ShouldBeLessThanOrEqualTo(clock.Elapsed.TotalSeconds); // one writer cannot be busy longer than the time that passed
    }
}
