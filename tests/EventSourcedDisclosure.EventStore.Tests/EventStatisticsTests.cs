namespace EventSourcedDisclosure.EventStore.Tests;

/// <summary>
/// ANALYZE of the events studies the columns queries filter and sort by, and skips the payload,
/// the metadata and the hash, which none does: on a large log they were half of its time.
/// </summary>
public sealed class EventStatisticsTests : IAsyncLifetime
{
    private Testing.TestDatabase _db = null!;
    private EventStore _store = null!;

    public async Task InitializeAsync()
    {
        _db = await Testing.TestCluster.CreateDatabaseAsync();
        _store = await TestStores.CreateAsync(_db);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Analyze_of_the_events_leaves_out_the_payload_metadata_and_hash_and_a_second_start_keeps_it_so()
    {
        for (var i = 0; i < 20; i++)
            await _store.AppendAsync($"a{i % 3}", Guid.NewGuid(), "thing", ExpectedVersion.NoStream, [new Counted(i), new Counted(i + 1)], new("alice", $"corr-{i}"));
        await _store.MigrateAsync(); // the schema script runs at every start-up

        await _store.ScalarAsync<int>("analyze es.events; select 1");

        var studied = await _store.ScalarAsync<string[]>(
            "select array_agg(attname::text order by attname) from pg_stats where schemaname = 'es' and tablename = 'events'");
        studied.ShouldContain("tenant_id");
        studied.ShouldContain("type");
        studied.ShouldContain("recorded_at");
        studied.ShouldNotContain("data");
        studied.ShouldNotContain("metadata");
        studied.ShouldNotContain("hash");
    }
}
