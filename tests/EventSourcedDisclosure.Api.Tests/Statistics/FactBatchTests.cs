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
/// The statistics facts written from a whole batch at once (a catch-up) equal those written an
/// event at a time (the daemon keeping up): per key, first insert, last update, and each
/// channel's first publication date.
/// </summary>
public sealed class FactBatchTests : IAsyncLifetime
{
    private static readonly Guid Item = Guid.NewGuid(), Request = Guid.NewGuid(), Reconsideration = Guid.NewGuid();
    private static readonly ItemContent Content = new("经费公告", "经费", "正文", null, new(2025, 3, 1), "办公室", "finance", null, [], Genre.Other, 12.5m);
    private long _sequence;
    private TestDatabase _db = null!;
    private NpgsqlDataSource _source = null!;

    public async Task InitializeAsync()
    {
        _db = await TestCluster.CreateDatabaseAsync();
        _source = _db.CreateDataSource();
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _db.DisposeAsync();
    }

    private StoredEvent At(object data) =>
        new(++_sequence, (ulong)_sequence, "jy", Guid.Empty, _sequence, "x", data, "{}", EventMetadata.System, DateTimeOffset.UnixEpoch);

    private static ItemPublished Published(int revision, string on, Channel[] added, params Channel[] all) =>
        new(Item, revision, DateOnly.Parse(on), added, all, $"JY-{revision}", "教育局", Content, null);

    private List<StoredEvent> Log() =>
    [
        At(new ItemDrafted(Item, "jy", Content, "clerk", new(2025, 3, 1))),
        At(Published(1, "2025-03-05", [Channel.Website], Channel.Website)),
        At(Published(1, "2025-03-09", [Channel.Wechat], Channel.Website, Channel.Wechat)),
        At(Published(2, "2025-04-01", [Channel.Website, Channel.Gazette], Channel.Website, Channel.Gazette)),
        At(new ItemRepealed(Item, new(2025, 5, 1), "废止", "leader")),
        At(new ItemRepealed(Item, new(2025, 6, 30), "废止", "leader")),
        At(new RequestReceived(Request, "jy", new(2025, 2, 3), RequestChannel.InPerson, "rule", null,
            new Applicant(ApplicantType.Commercial, null, null, null, null, null), "申请", null, "T", new(new(2025, 3, 3), false), "clerk")),
        At(new FeePaid(Request, new(2025, 2, 20), 100m, "clerk")),
        At(new RequestAnswered(Request, new(2025, 2, 25), Outcome.Withheld, "stateSecret", "不予公开", [], [], null, false, 0, "clerk")),
        At(new ReconsiderationFiled(Request, Reconsideration, new(2025, 3, 10), "clerk")),
        At(new ReconsiderationDecided(Request, Reconsideration, new(2025, 5, 10), AppealResult.Corrected, "clerk")),
    ];

    private async Task<string> ProjectAsync(string schema, IEnumerable<IReadOnlyList<StoredEvent>> batches)
    {
        var projection = new StatisticsProjection();
        await using (var create = _source.CreateCommand($"create schema {schema}; {projection.SchemaSql(schema)}")) await create.ExecuteNonQueryAsync();
        foreach (var batch in batches)
        {
            await using var connection = await _source.OpenConnectionAsync();
            await using var tx = await connection.BeginTransactionAsync();
            await projection.ApplyAsync(new ProjectionContext(connection, tx, schema), batch, CancellationToken.None);
            await tx.CommitAsync();
        }
        await using var dump = _source.CreateCommand($"""
            select concat_ws(' | ',
                (select string_agg(r::text, ';') from {schema}.stat_items r),
                (select string_agg(r::text, ';') from {schema}.stat_requests r),
                (select string_agg(r::text, ';') from {schema}.stat_appeals r),
                (select string_agg(r::text, ';') from {schema}.stat_versions r))
            """);
        return (string)(await dump.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_batch_of_a_whole_history_writes_what_its_events_one_by_one_write()
    {
        var log = Log();
        var oneByOne = await ProjectAsync("one_by_one", log.Select(e => (IReadOnlyList<StoredEvent>)[e]));
        var together = await ProjectAsync("together", [log]);

        together.ShouldBe(oneByOne);
        together.ShouldContain("2025-03-05"); // first published
        together.ShouldContain("\"\"website\"\": \"\"2025-03-05\"\""); // the website's first date, not the revision's
        together.ShouldContain("\"\"wechat\"\": \"\"2025-03-09\"\"");
        together.ShouldContain("\"\"gazette\"\": \"\"2025-04-01\"\"");
        together.ShouldContain("2025-06-30"); // the last repeal
        together.ShouldContain("stateSecret");
        together.ShouldContain("corrected");
    }
}
