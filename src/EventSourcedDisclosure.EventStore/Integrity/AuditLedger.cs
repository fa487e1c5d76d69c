using Npgsql;

namespace EventSourcedDisclosure.EventStore.Integrity;

/// <summary>A tenant's Merkle tree, built from its chain as recomputed from the events' content (not from stored hashes).</summary>
public sealed class AuditLedger(EventStore store)
{
    /// <summary>Leaf hashes of the first <paramref name="size"/> events of the chain; tampered content changes them.</summary>
    public async Task<List<byte[]>> LeafHashesAsync(string tenant, long size, CancellationToken ct = default)
    {
        var s = store.Options.Schema;
        await using var connection = await store.DataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand($"""
            select chain_position, stream_id, version, type, data::text, metadata::text, recorded_at
              from {s}.events where tenant_id = $1 and chain_position <= $2 order by chain_position
            """, connection);
        command.Parameters.Add(new() { Value = tenant });
        command.Parameters.Add(new() { Value = size });
        var leaves = new List<byte[]>();
        var previous = EventHash.Genesis;
        await using var r = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
        while (await r.ReadAsync(ct))
        {
            var position = r.GetInt64(0); // sequential access: columns in order
            previous = EventHash.OfJson(previous, tenant, r.GetGuid(1), r.GetInt64(2), r.GetString(3),
                r.GetString(4), r.GetString(5), r.GetFieldValue<DateTimeOffset>(6), position);
            leaves.Add(MerkleTree.LeafHash(Convert.FromHexString(previous)));
        }
        return leaves;
    }

    /// <summary>How many of the tenant's events had been recorded by an instant: the size of its tree then.</summary>
    public async Task<long> SizeAtAsync(string tenant, DateTimeOffset until, CancellationToken ct = default)
    {
        await using var command = store.DataSource.CreateCommand(
            $"select coalesce(max(chain_position), 0) from {store.Options.Schema}.events where tenant_id = $1 and recorded_at <= $2");
        command.Parameters.Add(new() { Value = tenant });
        command.Parameters.Add(new() { Value = until.ToUniversalTime() });
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    public async Task<(string Tenant, long Position)?> LocateAsync(long sequence, CancellationToken ct = default)
    {
        await using var command = store.DataSource.CreateCommand(
            $"select tenant_id, chain_position from {store.Options.Schema}.events where seq = $1 and chain_position is not null");
        command.Parameters.Add(new() { Value = sequence });
        await using var r = await command.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? (r.GetString(0), r.GetInt64(1)) : null;
    }
}
