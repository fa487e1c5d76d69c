using Npgsql;
using NpgsqlTypes;
using System.Text.Json;
using EventSourcedDisclosure.EventStore;
using EventSourcedDisclosure.EventStore.Projections;

namespace EventSourcedDisclosure.Api.Hosting;

/// <summary>
/// An inline single-stream projection in Marten's manner: it keeps each stream's folded state as
/// jsonb in a table (column <c>state</c>, key tenant_id + id) and folds new events onto it with the
/// same evolve the deciders use, so the views and the command answers always agree. A rebuild
/// folds each stream whole and copies the rows in (<see cref="IStreamRebuild"/>).
/// </summary>
public abstract class SnapshotProjection<TState>(string table, string streamType, TState initial, Func<TState, object, TState> evolve)
    : IProjection, IStreamRebuild
    where TState : class
{
    public abstract string Name { get; }

    public abstract string SchemaSql(string schema);

    public string StreamType => streamType;

    public IReadOnlyList<string> Tables => [table];

    public IReadOnlyList<string>? EventTypes => null;

    /// <summary>Whether the event belongs to this projection's kind of stream.</summary>
    protected abstract bool Handles(StoredEvent e);

    /// <summary>The row's columns, the key (tenant_id, id) first; one of them holds the state as jsonb.</summary>
    protected abstract IReadOnlyList<(string Name, NpgsqlDbType Type)> Columns { get; }

    /// <summary>The row of a stream's state, in <see cref="Columns"/> order (null for SQL null).</summary>
    protected abstract object?[] Row(TState state, long version);

    // As UTF-8, which is what the serializer writes and jsonb takes: a string would be made from
    // the bytes only for Npgsql to count and encode it back into them.
    protected static byte[] Json(TState state) => JsonSerializer.SerializeToUtf8Bytes(state, EventTypeRegistry.Json);

    private string? _upsert;

    private string Upsert(string schema) => _upsert ??= $"""
        insert into {schema}.{table} ({string.Join(", ", Columns.Select(c => c.Name))})
        values ({string.Join(", ", Columns.Select((_, i) => $"${i + 1}"))})
        on conflict (tenant_id, id) do update set {string.Join(", ", Columns.Skip(2).Select(c => $"{c.Name} = excluded.{c.Name}"))}
        """;

    private NpgsqlBatchCommand SaveCommand(string schema, TState state, long version)
    {
        var command = new NpgsqlBatchCommand(Upsert(schema));
        var row = Row(state, version);
        for (var i = 0; i < row.Length; i++) command.Parameters.Add(new() { Value = row[i] ?? DBNull.Value, NpgsqlDbType = Columns[i].Type });
        return command;
    }

    public async Task WriteStreamsAsync(ProjectionContext context, IReadOnlyList<IReadOnlyList<StoredEvent>> streams, CancellationToken ct)
    {
        // Frozen: the rebuild created the table (IStreamRebuild), so its first vacuum has nothing to do.
        await using var copy = await context.Connection.BeginBinaryImportAsync(
            $"copy {context.Table(table)} ({string.Join(", ", Columns.Select(c => c.Name))}) from stdin (format binary, freeze)", ct);
        foreach (var stream in streams)
        {
            var events = stream.Where(Handles).ToList();
            if (events.Count == 0) continue;
            var row = Row(events.Aggregate(initial, (s, e) => evolve(s, e.Data)), events[^1].Version);
            // Synchronous writes: a value goes into Npgsql's buffer, and only a full buffer waits
            // for the socket. Awaiting each of a million values cost the writer a tenth of a rebuild
            // (items, quick store, interleaved A/B: 39.5k → 44.0k events/s).
            copy.StartRow();
            for (var i = 0; i < row.Length; i++)
                if (row[i] is { } value) copy.Write(value, Columns[i].Type);
                else copy.WriteNull();
        }
        await copy.CompleteAsync(ct);
    }

    // At most one read whatever the number of streams (none when the appending command handed over
    // the state it folded); the upserts join the context's deferred batch. A command touches one
    // stream; a rebuild or a daemon batch touches thousands.
    public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<StoredEvent> events, CancellationToken ct)
    {
        var streams = events.Where(Handles).GroupBy(e => (e.TenantId, e.StreamId)).ToList();
        if (streams.Count == 0) return;
        var folded = new Dictionary<(string, Guid), TState>();
        foreach (var stream in streams)
            if (context.TryGetKnownState<TState>(stream.Key.TenantId, stream.Key.StreamId, stream.Last().Version, out var known))
                folded[stream.Key] = known;
        var unknown = streams.Where(s => !folded.ContainsKey(s.Key)).ToList();
        if (unknown.Count > 0)
        {
            await context.FlushAsync(ct); // what this reads may be among the queued writes
            var states = await LoadAsync(context, unknown.Select(s => s.Key).ToList(), ct);
            foreach (var stream in unknown)
                folded[stream.Key] = stream.Aggregate(states.GetValueOrDefault(stream.Key) ?? initial, (s, e) => evolve(s, e.Data));
        }
        foreach (var stream in streams)
            context.Defer(SaveCommand(context.Schema, folded[stream.Key], stream.Last().Version));
    }

    private async Task<Dictionary<(string, Guid), TState>> LoadAsync(ProjectionContext context, List<(string Tenant, Guid Id)> keys, CancellationToken ct)
    {
        await using var command = context.Command(
            $"select t.tenant_id, t.id, t.state::text from {KeyRows.From(keys.Count, $"{context.Schema}.{table}", "t")}");
        KeyRows.Add(command.Parameters, keys);
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
