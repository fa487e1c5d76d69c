using Npgsql;
using NpgsqlTypes;

namespace EventSourcedDisclosure.EventStore.Projections;

/// <summary>Moves one async projection forward by batches; each batch is one transaction.</summary>
public sealed class ProjectionRunner(EventStore store, IProjection projection)
{
    private string S => store.Options.Schema;
    public IProjection Projection => projection;

    // Events per batch: the configured size while keeping up, doubling (to 16 times it) while
    // each batch comes back full. Catching up, a batch's fixed costs — its transaction, the
    // checkpoint and its durable commit — were most of the time at 500 events a batch.
    private int _limit = store.Options.DaemonBatchSize;

    /// <summary>Applies the next batch; returns how many events it applied.</summary>
    public async Task<int> RunBatchAsync(CancellationToken ct)
    {
        await using var connection = await store.DataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);

        // Locking the progress row first orders us against a rebuild (which locks it first too),
        // so the two never deadlock on read-model rows.
        var from = await ReadProgressAsync(connection, tx, S, projection.Name, forUpdate: true, ct);
        var limit = _limit;
        var events = await TakeReadAheadAsync(from, limit)
            ?? await store.ReadAllAsync(connection, tx, from, limit, LogFilter.Global, ct, DataOf);
        _limit = events.Count == limit ? Math.Min(limit * 2, store.Options.DaemonBatchSize * 16) : store.Options.DaemonBatchSize;
        if (events.Count == 0)
        {
            await tx.RollbackAsync(ct);
            return 0;
        }
        if (events.Count == limit)
        {
            // Behind: the next batch is read (PostgreSQL rendering it, .NET parsing it) while this
            // one is applied, into tables that grow fast.
            StartReadAhead(new LogPosition(events[^1].TransactionId, events[^1].Sequence), _limit);
            await GrowingTables.PlanForAsync(connection, tx, ct);
        }

        var context = new ProjectionContext(connection, tx, S);
        await projection.ApplyAsync(context, events, ct);
        await context.FlushAsync(ct);

        var to = new LogPosition(events[^1].TransactionId, events[^1].Sequence);
        await using var update = new NpgsqlCommand(
            $"update {S}.projection_progress set last_tx = $2, last_seq = $3, updated_at = now() " +
            "where name = $1 and last_tx = $4 and last_seq = $5", connection, tx);
        update.Parameters.Add(new() { Value = projection.Name });
        update.Parameters.Add(new() { Value = to.TransactionId, NpgsqlDbType = NpgsqlDbType.Xid8 });
        update.Parameters.Add(new() { Value = to.Sequence });
        update.Parameters.Add(new() { Value = from.TransactionId, NpgsqlDbType = NpgsqlDbType.Xid8 });
        update.Parameters.Add(new() { Value = from.Sequence });
        if (await update.ExecuteNonQueryAsync(ct) != 1)
        {
            // Someone else moved the checkpoint: applying this batch would count it twice.
            await tx.RollbackAsync(ct);
            return 0;
        }
        await tx.CommitAsync(ct);
        return events.Count;
    }

    private IReadOnlySet<string>? DataOf => (projection as IReadsEventData)?.EventTypesWithData;

    // The next batch, read on a connection of its own. The log below the horizon the daemon reads
    // to (no transaction older than it still running) never changes, so a batch read ahead from
    // a position is the batch a read in the applying transaction would get from there — or a
    // shorter one, taken before the horizon moved on. It is used only if the checkpoint is
    // still where it was read from.
    private (LogPosition From, int Limit, Task<IReadOnlyList<StoredEvent>?> Events)? _readAhead;

    private void StartReadAhead(LogPosition from, int limit) =>
        _readAhead = (from, limit, Task.Run(async () =>
        {
            try
            {
                await using var connection = await store.DataSource.OpenConnectionAsync();
                return await store.ReadAllAsync(connection, null, from, limit, LogFilter.Global, CancellationToken.None, DataOf);
            }
            catch (Exception)
            {
                return null; // the batch's own read will meet the problem and report it
            }
        }));

    private async Task<IReadOnlyList<StoredEvent>?> TakeReadAheadAsync(LogPosition from, int limit)
    {
        if (_readAhead is not { } ahead) return null;
        _readAhead = null;
        var events = await ahead.Events;
        return ahead.From == from && ahead.Limit == limit ? events : null;
    }

    internal static async Task<LogPosition> ReadProgressAsync(
        NpgsqlConnection connection, NpgsqlTransaction? tx, string schema, string name, bool forUpdate, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select last_tx, last_seq from {schema}.projection_progress where name = $1{(forUpdate ? " for update" : "")}",
            connection, tx);
        command.Parameters.Add(new() { Value = name });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            throw new InvalidOperationException($"Projection '{name}' has no progress row: was the store migrated?");
        return new LogPosition(reader.GetFieldValue<ulong>(0), reader.GetInt64(1));
    }
}
