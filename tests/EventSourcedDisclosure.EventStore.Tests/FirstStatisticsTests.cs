using EventSourcedDisclosure.EventStore.Schema;

namespace EventSourcedDisclosure.EventStore.Tests;

/// <summary>A table made empty and filled afterwards gets statistics, and its partial index is then costed by what it holds.</summary>
public sealed class FirstStatisticsTests : IAsyncLifetime
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
    public async Task A_table_that_filled_up_without_statistics_is_analyzed_once_and_its_partial_index_is_counted()
    {
        await _store.ScalarAsync<int>("""
            create table es.entries (tenant text, item uuid, region text, closed date, body text);
            create index entries_current_item on es.entries (tenant, item) where closed is null;
            select 1
            """);
        (await FirstStatistics.AnalyzeFilledTablesAsync(_store.DataSource, "es", default)).ShouldNotContain("entries"); // empty: nothing to learn
        await _store.ScalarAsync<int>("""
            insert into es.entries select 't' || (i % 16), gen_random_uuid(), '130525', null, repeat('x', 200) from generate_series(1, 5000) i;
            select 1
            """);
        (await RowsBelievedAsync("entries_current_item")).ShouldBe(0); // what the planner would cost a walk through it by

        (await FirstStatistics.AnalyzeFilledTablesAsync(_store.DataSource, "es", default)).ShouldContain("entries");

        (await RowsBelievedAsync("entries")).ShouldBe(5000);
        (await RowsBelievedAsync("entries_current_item")).ShouldBe(5000);
        (await FirstStatistics.AnalyzeFilledTablesAsync(_store.DataSource, "es", default)).ShouldBeEmpty(); // autovacuum's from here
    }

    private Task<float> RowsBelievedAsync(string relation) =>
        _store.ScalarAsync<float>($"select reltuples from pg_class where oid = 'es.{relation}'::regclass");
}
