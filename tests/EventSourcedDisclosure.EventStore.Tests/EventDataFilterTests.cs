using EventSourcedDisclosure.EventStore.Projections;

namespace EventSourcedDisclosure.EventStore.Tests;

/// <summary>An async projection that asks for the data of some event types still sees every event, the others without data.</summary>
public sealed class EventDataFilterTests : IAsyncLifetime
{
    /// <summary>Writes one row per event it is given: the name of a rename, or what it got for the others.</summary>
    private sealed class RenamesOnly : IProjection, IReadsEventData
    {
        public string Name => "renames";
        public IReadOnlySet<string> EventTypesWithData { get; } = new HashSet<string> { "test.renamed.v1" };

        public string SchemaSql(string s) => $"create table if not exists {s}.seen (seq bigint primary key, type text not null, got text not null);";

        public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<StoredEvent> events, CancellationToken ct)
        {
            await using var command = context.Command($"insert into {context.Schema}.seen select * from unnest($1::bigint[], $2::text[], $3::text[])");
            command.Parameters.Add(new() { Value = events.Select(e => e.Sequence).ToArray() });
            command.Parameters.Add(new() { Value = events.Select(e => e.Type).ToArray() });
            command.Parameters.Add(new() { Value = events.Select(e => e.Data switch
            {
                Renamed r => r.Name,
                DataNotRead n => $"not read: {n.Type}",
                var other => $"read: {other}",
            }).ToArray() });
            await command.ExecuteNonQueryAsync(ct);
        }

        public async Task ResetAsync(ProjectionContext context, CancellationToken ct)
        {
            await using var command = context.Command($"delete from {context.Schema}.seen");
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private Testing.TestDatabase _db = null!;
    private EventStore _store = null!;

    public async Task InitializeAsync()
    {
        _db = await Testing.TestCluster.CreateDatabaseAsync();
        // Batches of seven: the catch-up below runs full batches (each reading the next ahead) and a last short one.
        _store = await TestStores.CreateAsync(_db, configure: o => { o.AddProjection(new RenamesOnly(), ProjectionLifecycle.Async); o.DaemonBatchSize = 7; });
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Every_event_passes_its_checkpoint_and_only_the_asked_types_carry_data()
    {
        var stream = Guid.NewGuid();
        for (var i = 0; i < 10; i++)
            await _store.AppendAsync("t", stream, "thing", ExpectedVersion.Any, [new Counted(i), new Renamed($"name {i}")], EventMetadata.System);

        await new ProjectionAdmin(_store).RebuildAsync("renames");

        var seen = await _store.DirectCountsAsync();
        (await _store.ScalarAsync<long>("select count(*) from es.seen")).ShouldBe(seen[stream]);
        (await _store.ScalarAsync<long>("select count(*) from es.seen s join es.events e using (seq) where s.type = e.type")).ShouldBe(20);
        (await _store.ScalarAsync<string>("select string_agg(distinct got, ',') from es.seen where type = 'test.counted.v1'"))
            .ShouldBe("not read: test.counted.v1");
        (await _store.ScalarAsync<string>("select string_agg(got, ',' order by seq) from es.seen where type = 'test.renamed.v1'"))
            .ShouldBe(string.Join(",", Enumerable.Range(0, 10).Select(i => $"name {i}")));
        (await new ProjectionAdmin(_store).StatusAsync()).Single(s => s.Name == "renames").PendingEvents.ShouldBe(0);
    }
}
