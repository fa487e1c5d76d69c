using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace EventSourcedDisclosure.EventStore.Integrity;

/// <summary>One line of an export: an event with everything needed to put it back exactly as it was.</summary>
public sealed record ExportedEvent(
    long Sequence, string Agency, Guid Stream, string StreamType, long Version, string Type, JsonElement Data, JsonElement Metadata,
    DateTimeOffset RecordedAt, long? ChainPosition, string? Hash);

/// <summary>
/// NDJSON export of a tenant's events (or all), streamed row by row so memory stays flat for any
/// size, and its import into an empty store with sequences, chain positions, hashes and times
/// kept: the imported log verifies, and projections rebuilt from it equal the originals.
/// </summary>
public sealed class LogExport(EventStore store)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly ReadOnlyMemory<byte> NewLine = "\n"u8.ToArray();

    public async Task<long> ExportAsync(Stream output, string? tenant, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct = default,
        IProgress<long>? progress = null)
    {
        var s = store.Options.Schema;
        await using var connection = await store.DataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand($"""
            select e.seq, e.tenant_id, e.stream_id, st.type, e.version, e.type, e.data::text, e.metadata::text, e.recorded_at, e.chain_position, e.hash
              from {s}.events e join {s}.streams st on st.tenant_id = e.tenant_id and st.id = e.stream_id
             where ($1::text is null or e.tenant_id = $1) and ($2::timestamptz is null or e.recorded_at >= $2)
               and ($3::timestamptz is null or e.recorded_at < $3)
             order by e.tx, e.seq
            """, connection);
        command.Parameters.Add(new() { Value = (object?)tenant ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)from?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = (object?)to?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
        await using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        long count = 0;
        while (await reader.ReadAsync(ct))
        {
            writer.Reset(output);
            writer.WriteStartObject();
            writer.WriteNumber("sequence", reader.GetInt64(0));
            writer.WriteString("agency", reader.GetString(1));
            writer.WriteString("stream", reader.GetGuid(2));
            writer.WriteString("streamType", reader.GetString(3));
            writer.WriteNumber("version", reader.GetInt64(4));
            writer.WriteString("type", reader.GetString(5));
            writer.WritePropertyName("data");
            writer.WriteRawValue(reader.GetString(6), skipInputValidation: true);
            writer.WritePropertyName("metadata");
            writer.WriteRawValue(reader.GetString(7), skipInputValidation: true);
            writer.WriteString("recordedAt", reader.GetFieldValue<DateTimeOffset>(8));
            if (reader.IsDBNull(9)) writer.WriteNull("chainPosition"); else writer.WriteNumber("chainPosition", reader.GetInt64(9));
            if (reader.IsDBNull(10)) writer.WriteNull("hash"); else writer.WriteString("hash", reader.GetString(10));
            writer.WriteEndObject();
            await writer.FlushAsync(ct);
            await output.WriteAsync(NewLine, ct); // HTTP bodies allow no synchronous writes
            if (++count % 1000 == 0)
            {
                await output.FlushAsync(ct);
                progress?.Report(count);
            }
        }
        await output.FlushAsync(ct);
        progress?.Report(count);
        return count;
    }

    /// <summary>
    /// Imports an export into this store (which must not hold those events), in batches, keeping
    /// every field, with the data keys that open it (<paramref name="keys"/>), in one transaction.
    /// The read models do not know these events yet: the same commit asks for every projection's
    /// rebuild, so a process that dies before it has rebuilt them leaves the next start to do it
    /// (<see cref="Projections.ProjectionAdmin.RebuildRequest"/>) instead of stale read models.
    /// </summary>
    public async Task<long> ImportAsync(Stream input, CancellationToken ct = default, IProgress<long>? progress = null,
        IReadOnlyList<Privacy.ExportedKey>? keys = null)
    {
        var s = store.Options.Schema;
        using var lines = new StreamReader(input, Encoding.UTF8);
        await using var connection = await store.DataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var batch = new List<ExportedEvent>(1000);
        long count = 0;
        while (await lines.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0) continue;
            batch.Add(JsonSerializer.Deserialize<ExportedEvent>(line, Json)!);
            if (batch.Count == 1000)
            {
                count += await WriteAsync(connection, tx, s, batch, ct);
                progress?.Report(count);
            }
        }
        count += await WriteAsync(connection, tx, s, batch, ct);
        progress?.Report(count);
        await using (var sequence = new NpgsqlCommand(
            $"select setval('{s}.event_seq', greatest((select coalesce(max(seq), 0) from {s}.events), 1))", connection, tx))
            await sequence.ExecuteNonQueryAsync(ct);
        await Privacy.KeyExport.WriteAsync(connection, tx, s, keys ?? [], ct);
        await using (var rebuild = new NpgsqlCommand(
            $"insert into {s}.store_settings (name, value) select $1 || unnest($2::text[]), 'import' on conflict (name) do nothing", connection, tx))
        {
            rebuild.Parameters.Add(new() { Value = Projections.ProjectionAdmin.RebuildRequest });
            rebuild.Parameters.Add(new() { Value = store.Options.Projections.Select(p => p.Projection.Name).ToArray() });
            await rebuild.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return count;
    }

    private static async Task<long> WriteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string s, List<ExportedEvent> batch, CancellationToken ct)
    {
        if (batch.Count == 0) return 0;
        await using var command = new NpgsqlCommand($"""
            with e as (
                insert into {s}.events (seq, tenant_id, stream_id, version, type, data, metadata, recorded_at, chain_position, hash)
                select * from unnest($1::bigint[], $2::text[], $3::uuid[], $4::bigint[], $5::text[], $6::jsonb[], $7::jsonb[],
                                     $8::timestamptz[], $9::bigint[], $10::text[])
                returning tenant_id, stream_id, version)
            insert into {s}.streams as st (tenant_id, id, type, version)
            select e.tenant_id, e.stream_id, t.type, max(e.version) from e
              join (select distinct * from unnest($2::text[], $3::uuid[], $11::text[])) as t(tenant_id, stream_id, type)
                on t.tenant_id = e.tenant_id and t.stream_id = e.stream_id
             group by e.tenant_id, e.stream_id, t.type
            on conflict (tenant_id, id) do update set version = greatest(st.version, excluded.version), updated_at = now()
            """, connection, tx);
        command.Parameters.Add(new() { Value = batch.Select(e => e.Sequence).ToArray() });
        command.Parameters.Add(new() { Value = batch.Select(e => e.Agency).ToArray() });
        command.Parameters.Add(new() { Value = batch.Select(e => e.Stream).ToArray() });
        command.Parameters.Add(new() { Value = batch.Select(e => e.Version).ToArray() });
        command.Parameters.Add(new() { Value = batch.Select(e => e.Type).ToArray() });
        command.Parameters.Add(new() { Value = batch.Select(e => e.Data.GetRawText()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = batch.Select(e => e.Metadata.GetRawText()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = batch.Select(e => e.RecordedAt.ToUniversalTime()).ToArray() });
        command.Parameters.Add(new() { Value = batch.Select(e => e.ChainPosition).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = batch.Select(e => e.Hash).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = batch.Select(e => e.StreamType).ToArray() });
        await command.ExecuteNonQueryAsync(ct);
        var written = batch.Count;
        batch.Clear();
        return written;
    }
}
