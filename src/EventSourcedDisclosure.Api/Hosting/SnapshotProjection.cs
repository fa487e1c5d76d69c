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
{
    public abstract string Name { get; }

    public abstract string SchemaSql(string schema);

    /// <summary>Whether the event belongs to this projection's kind of stream.</summary>
    protected abstract bool Handles(StoredEvent e);

    /// <summary>Upserts the row: the state as jsonb plus the columns queries filter on.</summary>
    protected abstract Task SaveAsync(ProjectionContext context, TState state, long version, CancellationToken ct);

    protected static string Json(TState state) => JsonSerializer.Serialize(state, EventTypeRegistry.Json);

    public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<StoredEvent> events, CancellationToken ct)
    {
        foreach (var stream in events.Where(Handles).GroupBy(e => (e.TenantId, e.StreamId)))
        {
            var state = await LoadAsync(context, stream.Key.TenantId, stream.Key.StreamId, ct) ?? initial;
            state = stream.Aggregate(state, (s, e) => evolve(s, e.Data));
            await SaveAsync(context, state, stream.Last().Version, ct);
        }
    }

    private async Task<TState?> LoadAsync(ProjectionContext context, string tenant, Guid id, CancellationToken ct)
    {
        await using var command = context.Command($"select state from {context.Schema}.{table} where tenant_id = $1 and id = $2");
        command.Parameters.Add(new() { Value = tenant });
        command.Parameters.Add(new() { Value = id });
        return await command.ExecuteScalarAsync(ct) is string json ? JsonSerializer.Deserialize<TState>(json, EventTypeRegistry.Json) : default;
    }

    public async Task ResetAsync(ProjectionContext context, CancellationToken ct)
    {
        await using var command = context.Command($"delete from {context.Schema}.{table}");
        await command.ExecuteNonQueryAsync(ct);
    }
}
