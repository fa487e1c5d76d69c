using Npgsql;

namespace EventSourcedDisclosure.Benchmarks;

/// <summary>
/// What the cluster wrote to its WAL over a window (pg_stat_wal, the whole cluster): beside the
/// CPU meter, it says how much work a command leaves PostgreSQL — records to insert, bytes to
/// write, flushes to wait for — against a raw append.
/// </summary>
public sealed class WalMeter
{
    public sealed record Usage(double Records, double Bytes, double Flushes)
    {
        public static Usage operator +(Usage a, Usage? b) =>
            b is null ? a : new(a.Records + b.Records, a.Bytes + b.Bytes, a.Flushes + b.Flushes);

        public string Per(double operations) =>
            $"{Bytes / operations / 1024:0.0} KiB, {Records / operations:0.0} records, {Flushes / operations:0.00} flushes";
    }

    private readonly NpgsqlDataSource _cluster;
    private readonly Usage _start;

    private WalMeter(NpgsqlDataSource cluster, Usage start) => (_cluster, _start) = (cluster, start);

    public static async Task<WalMeter> StartAsync(NpgsqlDataSource cluster) => new(cluster, await ReadAsync(cluster));

    public async Task<Usage> StopAsync()
    {
        var end = await ReadAsync(_cluster);
        return new(end.Records - _start.Records, end.Bytes - _start.Bytes, end.Flushes - _start.Flushes);
    }

    private static async Task<Usage> ReadAsync(NpgsqlDataSource cluster)
    {
        await using var command = cluster.CreateCommand("select wal_records::float8, wal_bytes::float8, wal_sync::float8 from pg_stat_wal");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new(reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2));
    }
}
