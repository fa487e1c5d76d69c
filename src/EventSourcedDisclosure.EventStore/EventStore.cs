using System.Text.Json;
using EventSourcedDisclosure.EventStore.Projections;
using EventSourcedDisclosure.EventStore.Schema;
using Npgsql;
using NpgsqlTypes;

namespace EventSourcedDisclosure.EventStore;

/// <summary>Which events a global read returns. Tenant null means every tenant.</summary>
public sealed record LogFilter(string? TenantId = null, IReadOnlyCollection<string>? Types = null)
{
    public static readonly LogFilter Global = new();
}

/// <summary>An append-only event store on PostgreSQL, in Marten's mould.</summary>
public sealed class EventStore(NpgsqlDataSource dataSource, EventStoreOptions options)
{
    public EventStoreOptions Options => options;
    internal Privacy.PersonalDataKeys Keys { get; } = new(options.Schema, options.PersonalDataKey);
    public NpgsqlDataSource DataSource => dataSource;
    private string S => options.Schema;

    /// <summary>Creates or upgrades the schema and every projection's tables; safe on every start.</summary>
    public Task MigrateAsync(CancellationToken ct = default) => MigrateAsync(null, ct);

    /// <summary>
    /// <see cref="MigrateAsync(CancellationToken)"/>, telling <paramref name="rebuilding"/> the name
    /// of each projection it rebuilds because a migration or an import asked for it: on a full store
    /// that takes minutes, which an operator should not take for a hang.
    /// </summary>
    public async Task MigrateAsync(Action<string>? rebuilding, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // Several nodes may start at once: concurrent "create if not exists" can still collide.
        await using (var lockCommand = new NpgsqlCommand("select pg_advisory_lock(hashtext('esd-migrate'), hashtext($1))", connection))
        {
            lockCommand.Parameters.Add(new() { Value = S });
            await lockCommand.ExecuteNonQueryAsync(ct);
        }
        try
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            var ddl = StoreSchema.Script(S) + string.Concat(options.Projections.Select(p => p.Projection.SchemaSql(S))) + StoreSchema.AppRole(S);
            await using (var command = new NpgsqlCommand(ddl, connection, tx))
                await command.ExecuteNonQueryAsync(ct);
            await using (var progress = new NpgsqlCommand(
                $"insert into {S}.projection_progress (name) select unnest($1) on conflict do nothing", connection, tx))
            {
                progress.Parameters.Add(new() { Value = options.Async.Select(p => p.Name).ToArray() });
                await progress.ExecuteNonQueryAsync(ct);
            }
            await KeepKeyFingerprintAsync(connection, tx, ct);
            await tx.CommitAsync(ct);
            await RefuseUnreadableLogAsync(connection, ct);
            await RebuildRequestedAsync(connection, rebuilding, ct);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("select pg_advisory_unlock(hashtext('esd-migrate'), hashtext($1))", connection);
            unlock.Parameters.Add(new() { Value = S });
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    // Still under the migration lock: one node rebuilds, the others wait and find nothing asked.
    // The request goes with the rebuild's own commit (a crash in between rebuilds once more).
    private async Task RebuildRequestedAsync(NpgsqlConnection connection, Action<string>? rebuilding, CancellationToken ct)
    {
        var requested = new List<string>();
        await using (var command = new NpgsqlCommand($"select name from {S}.store_settings where name like $1", connection))
        {
            command.Parameters.Add(new() { Value = Projections.ProjectionAdmin.RebuildRequest + "%" });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) requested.Add(reader.GetString(0));
        }
        // In the order the projections are registered, as every rebuild of them all runs: some
        // read others' tables (the agency directory first).
        var names = requested.Select(r => r[Projections.ProjectionAdmin.RebuildRequest.Length..]).ToHashSet();
        foreach (var p in options.Projections.Where(p => names.Contains(p.Projection.Name)))
        {
            rebuilding?.Invoke(p.Projection.Name);
            await new Projections.ProjectionAdmin(this).RebuildAsync(p.Projection.Name, ct: ct);
        }
    }

    // Every node must wrap data keys with the same key-encryption key, or peers could not open
    // what another node sealed: the first node's fingerprint is kept and any other one refused.
    private async Task KeepKeyFingerprintAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        if (Keys.Fingerprint is not { } fingerprint) return;
        await using var command = new NpgsqlCommand(
            $"with kept as (insert into {S}.store_settings (name, value) values ('personal-data-key', $1) on conflict do nothing returning value) " +
            $"select coalesce((select value from kept), (select value from {S}.store_settings where name = 'personal-data-key'))", connection, tx);
        command.Parameters.Add(new() { Value = fingerprint });
        var kept = (string)(await command.ExecuteScalarAsync(ct))!;
        if (kept != fingerprint)
            throw new InvalidOperationException(
                $"This database's personal data is wrapped under another key-encryption key (check value {kept}, configured {fingerprint}). " +
                "Configure the deployment's key (PersonalData:KeyEncryptionKey) on every node.");
    }

    // A logical dump restored into a younger cluster carries xids from the future: readers that
    // filter on the xid horizon would never see that history (ordering note, caveat d).
    private async Task RefuseUnreadableLogAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select max(tx)::text, pg_snapshot_xmax(pg_current_snapshot())::text from {S}.events " +
            $"where tx >= pg_snapshot_xmax(pg_current_snapshot())", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (await reader.ReadAsync(ct) && !reader.IsDBNull(0))
            throw new InvalidOperationException(
                $"The event log holds transaction ids ({reader.GetString(0)}) beyond this cluster's " +
                $"({reader.GetString(1)}): it was restored from a logical dump and cannot be read in order. " +
                "Restore a physical backup, or re-import the events with the import command (see ops/backup.md).");
    }

    public async Task<EventSession> OpenSessionAsync(CancellationToken ct = default)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        var transaction = await connection.BeginTransactionAsync(ct);
        return new EventSession(this, connection, transaction, options, Keys);
    }

    /// <summary>A session on an open connection the caller keeps after the session ends.</summary>
    public async Task<EventSession> OpenSessionOnAsync(NpgsqlConnection connection, CancellationToken ct = default)
    {
        var transaction = await connection.BeginTransactionAsync(ct);
        return new EventSession(this, connection, transaction, options, Keys, ownsConnection: false);
    }

    /// <summary>Appends events to one stream in their own transaction.</summary>
    public async Task<AppendResult> AppendAsync(
        string tenantId, Guid streamId, string streamType, ExpectedVersion expected,
        IReadOnlyList<object> events, EventMetadata metadata, IdempotencyTag? idempotency = null,
        CancellationToken ct = default)
    {
        await using var session = await OpenSessionAsync(ct);
        return await session.AppendAndCommitAsync(tenantId, streamId, streamType, expected, events, metadata, idempotency, ct);
    }

    /// <summary>The events of one stream, optionally only up to a version or an instant.</summary>
    public async Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(
        string tenantId, Guid streamId, long? toVersion = null, DateTimeOffset? asOf = null,
        CancellationToken ct = default)
    {
        await using var batch = dataSource.CreateBatch();
        return await ReadStreamAsync(batch, tenantId, streamId, toVersion, asOf, null, ct, withMetadata: true);
    }

    // The stream and its personal-data key in one round trip (the key is opened only if needed),
    // after the alongside queries, which are read first, in order.
    // keyRow: whether the stream's key row exists and its wrapped key (null once erased).
    internal async Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(NpgsqlBatch batch, string tenantId, Guid streamId, long? toVersion,
        DateTimeOffset? asOf, IReadOnlyList<ReadAlongside>? alongside, CancellationToken ct, Action<bool, string?>? keyRow = null,
        bool withMetadata = false)
    {
        IReadOnlyList<StoredEvent> events = [];
        await RunAsync(batch, [.. alongside ?? [], .. StreamRead(tenantId, streamId, toVersion, asOf, read => events = read, keyRow, withMetadata)], ct);
        return events;
    }

    /// <summary>Sends the queries as one batch and hands each its result set, in order.</summary>
    internal static async Task RunAsync(NpgsqlBatch batch, IReadOnlyList<ReadAlongside> queries, CancellationToken ct)
    {
        foreach (var query in queries) batch.BatchCommands.Add(query.Command);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        foreach (var query in queries)
        {
            await query.ReadAsync(reader, ct);
            await reader.NextResultAsync(ct);
        }
    }

    /// <summary>
    /// A stream's events and its personal-data key row, as two queries of a batch that may
    /// carry other streams' reads too: <paramref name="read"/> gets the events once both are in.
    /// </summary>
    internal IReadOnlyList<ReadAlongside> StreamRead(string tenantId, Guid streamId, long? toVersion, DateTimeOffset? asOf,
        Action<IReadOnlyList<StoredEvent>> read, Action<bool, string?>? keyRow = null, bool withMetadata = false)
    {
        var events = new NpgsqlBatchCommand(
            $"select {(withMetadata ? EventColumnsWithMetadata : EventColumns)} from {S}.events where tenant_id = $1 and stream_id = $2 " +
            "and ($3::bigint is null or version <= $3) and ($4::timestamptz is null or recorded_at <= $4) " +
            "order by version");
        events.Parameters.Add(new() { Value = tenantId });
        events.Parameters.Add(new() { Value = streamId });
        events.Parameters.Add(new() { Value = (object?)toVersion ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        events.Parameters.Add(new() { Value = (object?)asOf ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        var key = new NpgsqlBatchCommand(Keys.OneKeySql);
        key.Parameters.Add(new() { Value = tenantId });
        key.Parameters.Add(new() { Value = streamId });
        List<Row> rows = [];
        return
        [
            new(events, async (reader, ct) => rows = await ReadRowsAsync(reader, ct)),
            new(key, async (reader, ct) =>
            {
                var exists = await reader.ReadAsync(ct);
                var wrapped = exists && !reader.IsDBNull(0) ? reader.GetString(0) : null;
                keyRow?.Invoke(exists, wrapped);
                var keys = new Dictionary<(string, Guid), byte[]>();
                if (wrapped is not null && rows.Any(IsSealed)) keys[(tenantId, streamId)] = Keys.Open(wrapped, tenantId, streamId);
                read(rows.Select(r => ToStoredEvent(r, keys)).ToList());
            }),
        ];
    }

    /// <summary>Folds a stream into state; version 0 means the stream does not exist.</summary>
    public async Task<(TState State, long Version)> AggregateStreamAsync<TState>(
        string tenantId, Guid streamId, TState initial, Func<TState, object, TState> evolve,
        long? toVersion = null, DateTimeOffset? asOf = null, CancellationToken ct = default)
    {
        var events = await ReadStreamAsync(tenantId, streamId, toVersion, asOf, ct);
        var state = events.Aggregate(initial, (s, e) => evolve(s, e.Data));
        return (state, events.Count == 0 ? 0 : events[^1].Version);
    }

    /// <summary>
    /// Events after a position in replay order, only from transactions that have all finished,
    /// so an event that commits late can never be passed over (docs/event-store.md).
    /// </summary>
    public async Task<IReadOnlyList<StoredEvent>> ReadAllAsync(
        LogPosition after, int limit, LogFilter filter, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await ReadAllAsync(connection, null, after, limit, filter, ct, withMetadata: true);
    }

    /// <param name="dataOf">The event types whose data to read; null for all (the others come as <see cref="DataNotRead"/>).</param>
    internal async Task<IReadOnlyList<StoredEvent>> ReadAllAsync(
        NpgsqlConnection connection, NpgsqlTransaction? tx, LogPosition after, int limit, LogFilter filter,
        CancellationToken ct, IReadOnlySet<string>? dataOf = null, bool withMetadata = false)
    {
        await using var command = new NpgsqlCommand(
            $"select {EventColumnsWithDataOf(dataOf, 6, withMetadata)} from {S}.events " +
            "where (tx, seq) > ($1, $2) and tx < pg_snapshot_xmin(pg_current_snapshot()) " +
            "and ($3::text is null or tenant_id = $3) and ($4::text[] is null or type = any($4)) " +
            "order by tx, seq limit $5", connection, tx);
        command.Parameters.Add(new() { Value = after.TransactionId, NpgsqlDbType = NpgsqlDbType.Xid8 });
        command.Parameters.Add(new() { Value = after.Sequence });
        command.Parameters.Add(new() { Value = (object?)filter.TenantId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)filter.Types?.ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = limit });
        AddDataOf(command, dataOf);
        return await ReadEventsAsync(command, ct, connection, tx);
    }

    /// <summary>The stored result of an earlier request with this idempotency key, if any.</summary>
    public async Task<(string RequestHash, JsonElement? Result)?> FindIdempotentResultAsync(
        string tenantId, string key, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(
            $"select request_hash, result::text from {S}.idempotency_keys where tenant_id = $1 and key = $2");
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = key });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return (reader.GetString(0), reader.IsDBNull(1) ? null : JsonDocument.Parse(reader.GetString(1)).RootElement.Clone());
    }

    // The metadata (who, in which chain of work) is for the public reads and the audit's own
    // queries: no fold, replay or command reads it, and turning it into text was a share of
    // every replay's work in PostgreSQL.
    internal const string EventColumns =
        "seq, tx, tenant_id, stream_id, version, type, data::text, null::text as metadata, recorded_at";

    private const string EventColumnsWithMetadata =
        "seq, tx, tenant_id, stream_id, version, type, data::text, metadata::text, recorded_at";

    /// <summary>
    /// The event columns; given <paramref name="dataOf"/>, data only for those types (their names
    /// in parameter <paramref name="parameter"/>, added by <see cref="AddDataOf"/>), null for the rest.
    /// </summary>
    internal static string EventColumnsWithDataOf(IReadOnlySet<string>? dataOf, int parameter, bool withMetadata = false)
    {
        var columns = withMetadata ? EventColumnsWithMetadata : EventColumns;
        return dataOf is null ? columns : columns.Replace(" data::text,", $" case when type = any(${parameter}) then data::text end,");
    }

    /// <summary>The parameter <see cref="EventColumnsWithDataOf"/> names, last of the command's, when there is one.</summary>
    internal static void AddDataOf(NpgsqlCommand command, IReadOnlySet<string>? dataOf)
    {
        if (dataOf is not null) command.Parameters.Add(new() { Value = dataOf.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
    }

    /// <summary>Runs the command, then opens sealed personal data on the same connection, or a pooled one when none is given.</summary>
    internal async Task<IReadOnlyList<StoredEvent>> ReadEventsAsync(NpgsqlCommand command, CancellationToken ct,
        NpgsqlConnection? connection = null, NpgsqlTransaction? tx = null)
    {
        List<Row> rows;
        await using (var reader = await command.ExecuteReaderAsync(ct))
            rows = await ReadRowsAsync(reader, ct);

        // One key lookup per read, for the subjects whose events carry sealed personal data.
        var subjects = rows.Where(IsSealed).Select(r => (r.Tenant, r.Stream)).Distinct().ToList();
        Dictionary<(string, Guid), byte[]> keys;
        if (subjects.Count == 0) keys = [];
        else if (connection is not null) keys = await Keys.LoadAsync(connection, tx, subjects, ct);
        else
        {
            await using var own = await dataSource.OpenConnectionAsync(ct);
            keys = await Keys.LoadAsync(own, null, subjects, ct);
        }
        return rows.Select(r => ToStoredEvent(r, keys)).ToList();
    }

    private static async Task<List<Row>> ReadRowsAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var rows = new List<Row>();
        while (await reader.ReadAsync(ct))
            rows.Add(new Row(reader.GetInt64(0), reader.GetFieldValue<ulong>(1), reader.GetString(2), reader.GetGuid(3),
                reader.GetInt64(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetFieldValue<DateTimeOffset>(8)));
        return rows;
    }

    private bool IsSealed(Row r) => r.Data is not null && options.Events.PersonalFieldsOf(r.Type) is not null && Privacy.PersonalDataSealer.IsSealed(r.Data);

    // Data is null where the reader did not ask for it.
    private sealed record Row(long Sequence, ulong Tx, string Tenant, Guid Stream, long Version, string Type, string? Data, string? Metadata,
        DateTimeOffset RecordedAt);

    // RawData stays as stored (sealed): it is what the chain hashed. Data is opened where the key exists.
    private StoredEvent ToStoredEvent(Row row, Dictionary<(string, Guid), byte[]> keys)
    {
        if (row.Data is null)
            return new StoredEvent(row.Sequence, row.Tx, row.Tenant, row.Stream, row.Version, row.Type, new DataNotRead(row.Type), "null",
                row.Metadata, row.RecordedAt);
        var readable = options.Events.PersonalFieldsOf(row.Type) is { } fields && Privacy.PersonalDataSealer.IsSealed(row.Data)
            ? Privacy.PersonalDataSealer.Unseal(row.Data, fields, keys.GetValueOrDefault((row.Tenant, row.Stream)), row.Tenant, row.Stream)
            : row.Data;
        return new StoredEvent(
            row.Sequence, row.Tx, row.Tenant, row.Stream, row.Version, row.Type, options.Events.Deserialize(row.Type, readable), row.Data,
            row.Metadata, row.RecordedAt);
    }
}
