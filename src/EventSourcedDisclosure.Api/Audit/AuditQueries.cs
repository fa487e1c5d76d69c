using System.Text.Json;
using EventSourcedDisclosure.EventStore;
using Npgsql;
using NpgsqlTypes;

namespace EventSourcedDisclosure.Api.Audit;

/// <summary>One event as the records office sees it.</summary>
public sealed record AuditEvent(
    long Sequence, string Agency, Guid Stream, long Version, string Type, JsonElement Data, string? Actor, DateTimeOffset RecordedAt,
    string? CorrelationId, string? CausationId, long? ChainPosition, string? Hash);

public sealed record AuditFilter(string? Agency, string? Actor, string? Type, DateTimeOffset? From, DateTimeOffset? To, long? After, int? Limit);

public sealed record AuditPage(IReadOnlyList<AuditEvent> Items, long? Next);

public static class AuditQueries
{
    private const string Columns = """
        e.seq, e.tenant_id, e.stream_id, e.version, e.type, e.data::text, e.metadata->>'actor', e.recorded_at,
        e.metadata->>'correlationId', e.metadata->>'causationId', e.chain_position, e.hash
        """;

    public static async Task<List<AuditEvent>> StreamAsync(NpgsqlDataSource db, string s, Guid id, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"select {Columns} from {s}.events e where e.stream_id = $1 order by e.tenant_id, e.version");
        command.Parameters.Add(new() { Value = id });
        return await ReadAsync(command, ct);
    }

    /// <summary>
    /// Pages in replay order (tx, seq), only below the oldest running transaction, so a page once
    /// read never gains an event later: `after` is the last sequence of the previous page.
    /// </summary>
    public static async Task<AuditPage> EventsAsync(NpgsqlDataSource db, string s, AuditFilter f, CancellationToken ct)
    {
        var limit = Math.Clamp(f.Limit ?? 100, 1, 1000);
        await using var command = db.CreateCommand($"""
            with cursor as (select coalesce((select tx from {s}.events where seq = $1), '0'::xid8) as tx, coalesce($1, 0) as seq)
            select {Columns} from {s}.events e, cursor c
             where (e.tx, e.seq) > (c.tx, c.seq) and e.tx < pg_snapshot_xmin(pg_current_snapshot())
               and ($2::text is null or e.tenant_id = $2) and ($3::text is null or e.metadata->>'actor' = $3)
               and ($4::text is null or e.type = $4)
               and ($5::timestamptz is null or e.recorded_at >= $5) and ($6::timestamptz is null or e.recorded_at < $6)
             order by e.tx, e.seq limit $7
            """);
        command.Parameters.Add(new() { Value = (object?)f.After ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = (object?)f.Agency ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)f.Actor ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)f.Type ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)f.From?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = (object?)f.To?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = limit });
        var items = await ReadAsync(command, ct);
        return new(items, items.Count == limit ? items[^1].Sequence : null);
    }

    private static async Task<List<AuditEvent>> ReadAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var rows = new List<AuditEvent>();
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            using var data = JsonDocument.Parse(r.GetString(5));
            rows.Add(new(r.GetInt64(0), r.GetString(1), r.GetGuid(2), r.GetInt64(3), r.GetString(4), data.RootElement.Clone(),
                r.IsDBNull(6) ? null : r.GetString(6), r.GetFieldValue<DateTimeOffset>(7), r.IsDBNull(8) ? null : r.GetString(8),
                r.IsDBNull(9) ? null : r.GetString(9), r.IsDBNull(10) ? null : r.GetInt64(10), r.IsDBNull(11) ? null : r.GetString(11)));
        }
        return rows;
    }
}
