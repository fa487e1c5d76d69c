using EventSourcedDisclosure.EventStore.Projections;

namespace EventSourcedDisclosure.EventStore.Tests;

/// <summary>
/// Projections get events without their metadata, live and in a rebuild alike, so a projection
/// that used it would fail at once instead of rebuilding into something else; the public reads keep it.
/// </summary>
public sealed class MetadataReadTests : IAsyncLifetime
{
    /// <summary>Writes, per event, the actor it could read or the error it got.</summary>
    private sealed class ActorProbe : IProjection
    {
        public string Name => "actor-probe";

        public string SchemaSql(string s) => $"create table if not exists {s}.actors (version bigint primary key, got text not null);";

        public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<StoredEvent> events, CancellationToken ct)
        {
            foreach (var e in events)
            {
                string got;
                try { got = e.Metadata.Actor; }
                catch (InvalidOperationException error) { got = error.Message; }
                await using var command = context.Command($"insert into {context.Schema}.actors values ($1, $2)");
                command.Parameters.Add(new() { Value = e.Version });
                command.Parameters.Add(new() { Value = got });
                await command.ExecuteNonQueryAsync(ct);
            }
        }

        public async Task ResetAsync(ProjectionContext context, CancellationToken ct)
        {
            await using var command = context.Command($"delete from {context.Schema}.actors");
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private Testing.TestDatabase _db = null!;
    private EventStore _store = null!;

    public async Task InitializeAsync()
    {
        _db = await Testing.TestCluster.CreateDatabaseAsync();
        _store = await TestStores.CreateAsync(_db, configure: o => o.AddProjection(new ActorProbe(), ProjectionLifecycle.Inline));
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Projections_see_no_metadata_live_or_rebuilt_and_the_stream_read_has_it()
    {
        var id = Guid.NewGuid();
        await _store.AppendAsync("m", id, "thing", ExpectedVersion.NoStream, [new Counted(1), new Counted(2)], new EventMetadata("alice", "corr-9"));
        const string Seen = "select string_agg(got, '|' order by version) from es.actors";
        var live = await _store.ScalarAsync<string>(Seen);

        await new ProjectionAdmin(_store).RebuildAsync("actor-probe");

        live.ShouldContain("was read without its metadata");
        (await _store.ScalarAsync<string>(Seen)).ShouldBe(live);
        (await _store.ReadStreamAsync("m", id)).Select(e => e.Metadata).ShouldAllBe(m => m == new EventMetadata("alice", "corr-9", null));
    }
}
