using EventSourcedDisclosure.EventStore.Integrity;
using EventSourcedDisclosure.EventStore.Projections;

namespace EventSourcedDisclosure.EventStore.Tests;

/// <summary>
/// An import asks for every projection's rebuild in its own commit, and the store's next start does
/// what was asked, in the order the projections are registered: one may read another's table.
/// </summary>
public sealed class RequestedRebuildTests
{
    /// <summary>Inline, registered after stream_heads and named to sort before it: each stream's name as stream_heads holds it.</summary>
    private sealed class NamesFromHeads : IProjection
    {
        public string Name => "a_names";

        public string SchemaSql(string s) => $"create table if not exists {s}.a_names (stream_id uuid primary key, name text);";

        public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<StoredEvent> events, CancellationToken ct)
        {
            await using var command = context.Command($"""
                insert into {context.Schema}.a_names (stream_id, name)
                select id, (select name from {context.Schema}.stream_heads h where h.stream_id = id) from unnest($1::uuid[]) as id
                on conflict (stream_id) do update set name = excluded.name
                """);
            command.Parameters.Add(new() { Value = events.Select(e => e.StreamId).Distinct().ToArray() });
            await command.ExecuteNonQueryAsync(ct);
        }

        public async Task ResetAsync(ProjectionContext context, CancellationToken ct)
        {
            await using var command = context.Command($"delete from {context.Schema}.a_names");
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    [Fact]
    public async Task An_imported_log_is_rebuilt_at_the_next_start_in_registered_order_when_nothing_rebuilt_it()
    {
        await using var sourceDb = await Testing.TestCluster.CreateDatabaseAsync();
        await using var targetDb = await Testing.TestCluster.CreateDatabaseAsync();
        static void WithNames(EventStoreOptions o) => o.AddProjection(new NamesFromHeads(), ProjectionLifecycle.Inline);
        var source = await TestStores.CreateAsync(sourceDb, configure: WithNames);
        var streams = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();
        foreach (var stream in streams)
            await source.AppendAsync("t", stream, "thing", ExpectedVersion.Any, [new Renamed($"name of {stream}")], EventMetadata.System);
        using var export = new MemoryStream();
        await new LogExport(source).ExportAsync(export, null, null, null);
        var target = await TestStores.CreateAsync(targetDb, configure: WithNames);
        export.Position = 0;
        await new LogExport(target).ImportAsync(export); // and nothing after it, as if the importing process died
        (await target.ScalarAsync<long>("select count(*) from es.a_names")).ShouldBe(0);

        var rebuilt = new List<string>();
        await target.MigrateAsync(rebuilt.Add);

        rebuilt.ShouldBe(["stream_counts", "stream_heads", "a_names"]);
        (await target.ScalarAsync<long>("select count(*) from es.a_names where name like 'name of %'")).ShouldBe(streams.Count);
        (await target.ScalarAsync<long>("select count(*) from es.store_settings where name like 'rebuild-requested:%'")).ShouldBe(0);
        rebuilt.Clear();
        await target.MigrateAsync(rebuilt.Add);
        rebuilt.ShouldBeEmpty(); // each rebuild's commit cleared its request
    }
}
