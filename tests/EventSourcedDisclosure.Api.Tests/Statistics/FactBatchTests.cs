using EventSourcedDisclosure.Api.Statistics;
using EventSourcedDisclosure.Domain.Appeals;
using EventSourcedDisclosure.Domain.Items;
using EventSourcedDisclosure.Domain.Requests;
using EventSourcedDisclosure.EventStore;
using EventSourcedDisclosure.EventStore.Projections;
using EventSourcedDisclosure.Testing;
using Npgsql;

namespace EventSourcedDisclosure.Api.Tests.Statistics;

/// <summary>
/// The statistics facts are written a batch at a time, folded per row: the live daemon applies
/// a few events a batch, a rebuild thousands, and both must leave the same facts — the counts of
/// the yearly report come from them.
/// </summary>
public sealed class FactBatchTests
{
    private static readonly Guid Item = Guid.NewGuid(), Other = Guid.NewGuid(), Request = Guid.NewGuid(), Late = Guid.NewGuid(),
        Reconsideration = Guid.NewGuid(), Lawsuit = Guid.NewGuid();

    // One agency's year in the order the log has it, with what folding must get right: a
    // republication adding a channel and repeating one (the first date stays), a repeal, an
    // answer without a reason and one replaced (corrected) later, a fee, an appeal decided
    // twice, an item without an amount — and an answer logged before its request, which
    // event-by-event application drops.
    private static readonly object[] Log =
    [
        Drafted(Item, 1200.50m), Drafted(Other, null),
        Published(Item, "2025-03-01", Channel.Website), Published(Other, "2025-03-02", Channel.Gazette),
        Published(Item, "2025-04-01", Channel.Website, Channel.Wechat),
        new ItemRepealed(Item, D("2025-09-01"), "废止", "staff"),
        Received(Request, "2025-02-03"),
        Answered(Request, "2025-02-20", Outcome.Disclosed, null),
        new FeePaid(Request, D("2025-02-25"), 100m, "staff"),
        Answered(Request, "2025-03-01", Outcome.Withheld, "stateSecret"),
        new ReconsiderationFiled(Request, Reconsideration, D("2025-04-01"), "staff"),
        new LawsuitFiled(Request, Lawsuit, D("2025-05-01"), true, "staff"),
        new ReconsiderationDecided(Request, Reconsideration, D("2025-05-20"), AppealResult.Upheld, "staff"),
        new ReconsiderationDecided(Request, Reconsideration, D("2025-05-21"), AppealResult.Corrected, "staff"),
        Answered(Late, "2025-06-01", Outcome.Disclosed, null),
        Received(Late, "2025-06-02"),
    ];

    [Fact]
    public async Task One_batch_of_a_log_leaves_the_facts_event_by_event_application_leaves()
    {
        await using var database = await TestCluster.CreateDatabaseAsync();
        await using var data = database.CreateDataSource();

        foreach (var e in Stored()) await ApplyAsync(data, "one_by_one", [e]);
        await ApplyAsync(data, "in_one_batch", Stored());

        foreach (var table in new[] { "stat_requests", "stat_items", "stat_appeals", "stat_versions" })
            (await DumpAsync(data, "in_one_batch", table)).ShouldBe(await DumpAsync(data, "one_by_one", table), table);
        var items = await DumpAsync(data, "in_one_batch", "stat_items");
        items.ShouldContain(r => r.Contains(Item.ToString()) && r.Contains("\"\"website\"\": \"\"2025-03-01\"\"")
            && r.Contains("\"\"wechat\"\": \"\"2025-04-01\"\"") && r.Contains("2025-09-01"));
        var requests = await DumpAsync(data, "in_one_batch", "stat_requests");
        requests.ShouldContain(r => r.Contains("withheld") && r.Contains("stateSecret") && r.Contains("100"));
        requests.ShouldContain(r => r.Contains(Late.ToString()) && !r.Contains("2025-06-01"));
        (await DumpAsync(data, "in_one_batch", "stat_appeals")).ShouldContain(r => r.Contains("corrected") && r.Contains("2025-05-21"));
    }

    private static List<StoredEvent> Stored() =>
        Log.Select((data, i) => new StoredEvent(i + 1, 100, "a1", Guid.Empty, 1, data.GetType().Name, data, "{}",
            """{"actor":"staff"}""", DateTimeOffset.UnixEpoch)).ToList();

    private static async Task ApplyAsync(NpgsqlDataSource data, string schema, IReadOnlyList<StoredEvent> events)
    {
        var projection = new StatisticsProjection();
        await using var connection = await data.OpenConnectionAsync();
        await using (var create = new NpgsqlCommand($"create schema if not exists {schema}; {projection.SchemaSql(schema)}", connection))
            await create.ExecuteNonQueryAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var context = new ProjectionContext(connection, tx, schema);
        await projection.ApplyAsync(context, events, CancellationToken.None);
        await context.FlushAsync(CancellationToken.None);
        await tx.CommitAsync();
    }

    private static async Task<List<string>> DumpAsync(NpgsqlDataSource data, string schema, string table)
    {
        await using var command = data.CreateCommand($"select t::text from {schema}.{table} t order by t::text");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    private static DateOnly D(string day) => DateOnly.Parse(day);

    private static ItemDrafted Drafted(Guid id, decimal? amount) => new(id, "a1",
        new ItemContent("标题", "摘要", null, null, D("2025-01-10"), "办公室", "其他", null, [], Genre.Procurement, amount), "staff", D("2025-01-10"));

    private static ItemPublished Published(Guid id, string on, params Channel[] channels) =>
        new(id, 1, D(on), channels, channels, "a1-2025-0001", "机关", Drafted(id, null).Content, null);

    private static RequestReceived Received(Guid id, string on) => new(id, "a1", D(on), RequestChannel.Online, "online", null,
        new Applicant(ApplicantType.NaturalPerson, "张三", null, null, null, null), "申请", null, "T1", new(D(on).AddDays(28), false), "staff");

    private static RequestAnswered Answered(Guid id, string on, Outcome outcome, string? reason) =>
        new(id, D(on), outcome, reason, "答复", [], [], null, false, 0, "staff");
}
