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
        var events = await store.ReadAllAsync(connection, tx, from, limit, LogFilter.Global, ct,
            (projection as IReadsEventData)?.EventTypesWithData);
        _limit = events.Count == limit ? Math.Min(limit * 2, store.Options.DaemonBatchSize * 16) : store.Options.DaemonBatchSize;
        if (events.Count == 0)
        {
            await tx.RollbackAsync(ct);
            return 0;
        }

        var context = new ProjectionContext(connection, tx, S);
        if (events.Count == limit)
        {
            // Catching up (a rebuild, a new projection) grows tables that were analyzed empty: a
            // generic plan made then scans them whole for every row (statistics: 3.5 s → 22 s for
            // 150,000 events). Behind, each statement is planned for the table as it now stands.
            await using var plans = new NpgsqlCommand("set local plan_cache_mode = force_custom_plan", connection, tx);
            await plans.ExecuteNonQueryAsync(ct);
        }
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
