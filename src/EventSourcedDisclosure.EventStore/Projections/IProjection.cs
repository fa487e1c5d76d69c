using Npgsql;

namespace EventSourcedDisclosure.EventStore.Projections;

public enum ProjectionLifecycle
{
    /// <summary>Applied in the appending transaction: read-your-writes, one stream's rows.</summary>
    Inline,
    /// <summary>Applied by the daemon from the global log: aggregates over many streams.</summary>
    Async,
}

/// <summary>
/// The connection and transaction a projection writes its read model in. Writes that need no
/// answer are deferred and sent together once every projection has seen the events: a command's
/// inline projections then cost one round trip between them, not one each.
/// </summary>
public sealed class ProjectionContext(
    NpgsqlConnection connection, NpgsqlTransaction transaction, string schema, IReadOnlyDictionary<string, string>? tables = null)
{
    private readonly List<(NpgsqlBatchCommand Command, Func<NpgsqlDataReader, CancellationToken, Task>? Read)> _deferred = [];
    private readonly Dictionary<(string, Guid), (object State, long Version)> _known = [];

    public NpgsqlConnection Connection => connection;
    public NpgsqlTransaction Transaction => transaction;
    public string Schema => schema;

    /// <summary>
    /// A table's qualified name as this context writes it: in a by-stream rebuild, its fresh copy
    /// (<see cref="IStreamRebuild.Tables"/>); otherwise the table itself.
    /// </summary>
    public string Table(string name) => $"{schema}.{(tables is not null && tables.TryGetValue(name, out var fresh) ? fresh : name)}";

    public NpgsqlCommand Command(string sql)
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>Queues a write; it runs, in queue order, at the next <see cref="FlushAsync"/>.</summary>
    public void Defer(NpgsqlBatchCommand command) => _deferred.Add((command, null));

    /// <summary>
    /// Queues a statement whose result is wanted (an append): after the others like it but ahead
    /// of the writes queued without one (an append queued earlier keeps its projections' writes
    /// behind both appends), so that the batch's first result sets are theirs, in queue order;
    /// each <paramref name="read"/> gets its own when the batch runs.
    /// </summary>
    internal void Defer(NpgsqlBatchCommand command, Func<NpgsqlDataReader, CancellationToken, Task> read) =>
        _deferred.Insert(_deferred.TakeWhile(d => d.Read is not null).Count(), (command, read));

    /// <summary>Sends the queued writes in one batch. Call before reading what they write.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        if (_deferred.Count == 0) return;
        await using var batch = new NpgsqlBatch(Connection, Transaction);
        foreach (var (command, _) in _deferred) batch.BatchCommands.Add(command);
        var reads = _deferred.TakeWhile(d => d.Read is not null).Select(d => d.Read!).ToList();
        _deferred.Clear();
        if (reads.Count == 0)
        {
            await batch.ExecuteNonQueryAsync(ct);
            return;
        }
        await using var reader = await batch.ExecuteReaderAsync(ct);
        for (var i = 0; i < reads.Count; i++)
        {
            if (i > 0) await reader.NextResultAsync(ct);
            await reads[i](reader, ct);
        }
        while (await reader.NextResultAsync(ct)) { } // the rest: their errors surface here
    }

    /// <summary>
    /// A stream's state as the command that appended to it folded it (same events, same evolve),
    /// so a snapshot projection need not read its stored state back.
    /// </summary>
    public void KnowState(string tenant, Guid stream, object state, long version) => _known[(tenant, stream)] = (state, version);

    public bool TryGetKnownState<TState>(string tenant, Guid stream, long version, out TState state) where TState : class
    {
        state = null!;
        if (!_known.TryGetValue((tenant, stream), out var known) || known.Version != version || known.State is not TState typed) return false;
        state = typed;
        return true;
    }
}

/// <summary>
/// A deterministic fold of events into tables: no clock, no random ids, so that a rebuild from
/// the log equals the live read model.
/// </summary>
public interface IProjection
{
    string Name { get; }

    /// <summary>Idempotent DDL for the read model's tables, in the store's schema.</summary>
    string SchemaSql(string schema);

    Task ApplyAsync(ProjectionContext context, IReadOnlyList<StoredEvent> events, CancellationToken ct);

    /// <summary>Empties the read model before a rebuild.</summary>
    Task ResetAsync(ProjectionContext context, CancellationToken ct);
}

/// <summary>
/// A by-stream rebuild with rows that follow from all streams together (sums over them): written
/// once every stream is, in the transaction that writes the fresh tables, into <see cref="ProjectionContext.Table"/>.
/// </summary>
public interface IRebuildAware
{
    Task AfterReplayAsync(ProjectionContext context, CancellationToken ct);
}

/// <summary>
/// A projection that folds the data of some event types only (in the spirit of Marten's event
/// type filters). Reads from the log — the daemon's batches, an in-order rebuild — still pass it
/// every event (a checkpoint moves over all of them) but the others without their data:
/// <see cref="StoredEvent.Data"/> is then <see cref="DataNotRead"/>. Rendering and parsing every
/// event's JSON was most of what the activity counts and the agency directory's rebuild cost.
/// An inline projection still gets the appended events whole.
/// </summary>
public interface IReadsEventData
{
    /// <summary>The stored names of the event types whose data it uses (empty: none).</summary>
    IReadOnlySet<string> EventTypesWithData { get; }
}

public sealed record ProjectionRegistration(IProjection Projection, ProjectionLifecycle Lifecycle);

/// <summary>
/// A projection whose rows each follow from one stream's events alone (Marten's single-stream
/// projection). Its rebuild need not replay the log in order: it reads streams whole, a page of
/// streams at a time, folds them in memory and writes each row once (COPY into fresh
/// tables) — instead of reading back and upserting every stream at every batch it appears in.
/// </summary>
public interface IStreamRebuild
{
    /// <summary>
    /// Every table the projection writes: a rebuild fills fresh copies of them, found through
    /// <see cref="ProjectionContext.Table"/>, and swaps them in at commit (<c>FreshTables</c>); it
    /// does not call <see cref="IProjection.ResetAsync"/>.
    /// </summary>
    IReadOnlyList<string> Tables { get; }

    /// <summary>The type of stream (streams.type) whose streams it folds.</summary>
    string StreamType { get; }

    /// <summary>The event types it reads from them; null for every one.</summary>
    IReadOnlyList<string>? EventTypes { get; }

    /// <summary>
    /// Writes the rows of whole streams: each list is one stream's events, in version order. The
    /// fresh tables were created in the context's transaction (not the one holding appends back:
    /// the copies are committed before their indexes are built), so a COPY into them may FREEZE.
    /// </summary>
    Task WriteStreamsAsync(ProjectionContext context, IReadOnlyList<IReadOnlyList<StoredEvent>> streams, CancellationToken ct);
}
