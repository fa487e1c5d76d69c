using Npgsql;

namespace EventSourcedDisclosure.Benchmarks;

/// <summary>
/// What the cluster wrote to its WAL over a window (pg_stat_wal, the whole cluster): beside the
/// CPU meter, it says how much work a command leaves PostgreSQL — records to insert, bytes to
/// write, flushes to wait for — against a raw append.
/// </summary>
public sealed class WalMeter
{
    // SyncMs: time in the flushes' fsyncs (zero unless the server has track_wal_io_timing on).
    public sealed record Usage(double Records, double Bytes, double Flushes, double SyncMs)
    {
        public static Usage operator +(Usage a, Usage? b) =>
            b is null ? a : new(a.Records + b.Records, a.Bytes + b.Bytes, a.Flushes + b.Flushes, a.SyncMs + b.SyncMs);

        public string Per(double operations) =>
            $"{Bytes / operations / 1024:0.0} KiB, {Records / operations:0.0} records, {Flushes / operations:0.00} flushes" +
            (SyncMs > 0 ? $" of {SyncMs / Flushes:0.000} ms each" : "");
    }

    private readonly NpgsqlDataSource _cluster;
    private readonly Usage _start;

    private WalMeter(NpgsqlDataSource cluster, Usage start) => (_cluster, _start) = (cluster, start);

    public static async Task<WalMeter> StartAsync(NpgsqlDataSource cluster) => new(cluster, await ReadAsync(cluster));

    public async Task<Usage> StopAsync()
    {
        var end = await ReadAsync(_cluster);
        return new(end.Records - _start.Records, end.Bytes - _start.Bytes, end.Flushes - _start.Flushes, end.SyncMs - _start.SyncMs);
    }

    private static async Task<Usage> ReadAsync(NpgsqlDataSource cluster)
    {
        await using var command = cluster.CreateCommand("select wal_records::float8, wal_bytes::float8, wal_sync::float8, wal_sync_time from pg_stat_wal");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new(reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3));
    }
}
