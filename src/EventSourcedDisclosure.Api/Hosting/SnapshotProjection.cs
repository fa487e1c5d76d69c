using Npgsql;
using System.Text.Json;
using EventSourcedDisclosure.EventStore;
using EventSourcedDisclosure.EventStore.Projections;

namespace EventSourcedDisclosure.Api.Hosting;

/// <summary>
/// An inline single-stream projection in Marten's manner: it keeps each stream's folded state as
/// jsonb in a table (column <c>state</c>, key tenant_id + id) and folds new events onto it with the
/// same evolve the deciders use, so the views and the command answers always agree.
/// </summary>
public abstract class SnapshotProjection<TState>(string table, TState initial, Func<TState, object, TState> evolve) : IProjection
    where TState : class
{
    public abstract string Name { get; }

    public abstract string SchemaSql(string schema);

    /// <summary>Whether the event belongs to this projection's kind of stream.</summary>
    protected abstract bool Handles(StoredEvent e);

    /// <summary>The upsert of the row: the state as jsonb plus the columns queries filter on.</summary>
    protected abstract NpgsqlBatchCommand SaveCommand(string schema, TState state, long version);

    protected static string Json(TState state) => JsonSerializer.Serialize(state, EventTypeRegistry.Json);

    // Two round trips whatever the number of streams: one read of their states, one batch of upserts.
    // A command touches one stream; a rebuild or a daemon batch touches thousands.
    public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<StoredEvent> events, CancellationToken ct)
    {
        var streams = events.Where(Handles).GroupBy(e => (e.TenantId, e.StreamId)).ToList();
        if (streams.Count == 0) return;
        var states = await LoadAsync(context, streams.Select(s => s.Key).ToList(), ct);
        await using var batch = new NpgsqlBatch(context.Connection, context.Transaction);
        foreach (var stream in streams)
        {
            var state = stream.Aggregate(states.GetValueOrDefault(stream.Key) ?? initial, (s, e) => evolve(s, e.Data));
            batch.BatchCommands.Add(SaveCommand(context.Schema, state, stream.Last().Version));
        }
        await batch.ExecuteNonQueryAsync(ct);
    }

    private async Task<Dictionary<(string, Guid), TState>> LoadAsync(ProjectionContext context, List<(string Tenant, Guid Id)> keys, CancellationToken ct)
    {
        await using var command = context.Command(
            $"select t.tenant_id, t.id, t.state::text from {context.Schema}.{table} t join unnest($1::text[], $2::uuid[]) as k(tenant_id, id) using (tenant_id, id)");
        command.Parameters.Add(new() { Value = keys.Select(k => k.Tenant).ToArray() });
        command.Parameters.Add(new() { Value = keys.Select(k => k.Id).ToArray() });
        var states = new Dictionary<(string, Guid), TState>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            states[(reader.GetString(0), reader.GetGuid(1))] = JsonSerializer.Deserialize<TState>(reader.GetString(2), EventTypeRegistry.Json)!;
        return states;
    }

    public async Task ResetAsync(ProjectionContext context, CancellationToken ct)
    {
        await using var command = context.Command($"delete from {context.Schema}.{table}");
        await command.ExecuteNonQueryAsync(ct);
    }
}
