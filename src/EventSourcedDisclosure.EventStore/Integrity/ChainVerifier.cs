using Npgsql;

namespace EventSourcedDisclosure.EventStore.Integrity;

public sealed record ChainVerification(bool Verified, long Events, long? FirstBrokenSequence, long? FirstBrokenPosition, string? Problem);

/// <summary>Recomputes a tenant's hash chain from the stored events, streaming (constant memory for any length).</summary>
public sealed class ChainVerifier(EventStore store)
{
    public async Task<ChainVerification> VerifyAsync(string tenant, CancellationToken ct = default)
    {
        var s = store.Options.Schema;
        await using var connection = await store.DataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand($"""
            select seq, chain_position, hash, stream_id, version, type, data::text, metadata::text, recorded_at
              from {s}.events where tenant_id = $1 order by chain_position nulls first, seq
            """, connection);
        command.Parameters.Add(new() { Value = tenant });
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
        var previous = EventHash.Genesis;
        long expected = 1, count = 0;
        while (await reader.ReadAsync(ct))
        {
            var seq = reader.GetInt64(0);
            if (reader.IsDBNull(1)) return new(false, count, seq, null, "an event outside the chain (no position)");
            var position = reader.GetInt64(1);
            var stored = reader.GetString(2);
            var hash = EventHash.OfJson(previous, tenant, reader.GetGuid(3), reader.GetInt64(4), reader.GetString(5),
                reader.GetString(6), reader.GetString(7), reader.GetFieldValue<DateTimeOffset>(8), position);
            if (position != expected)
                return new(false, count, seq, position, $"position {expected} is missing: the chain has a gap before sequence {seq}");
            if (hash != stored)
                return new(false, count, seq, position, "the event's content does not match its hash");
            previous = stored;
            expected++;
            count++;
        }
        return new(true, count, null, null, null);
    }
}
