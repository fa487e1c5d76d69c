using EventSourcedDisclosure.EventStore.Embedded;
using Npgsql;

namespace EventSourcedDisclosure.Testing;

/// <summary>
/// One throwaway PostgreSQL cluster per test process and durability (initdb costs ~1.5 s), with a
/// fresh database per test class. Tests never share a database: the daemon and global-order
/// tests need their own, and it keeps classes independent when xunit runs them in parallel.
/// </summary>
public static class TestCluster
{
    private const string Prefix = "esd-test-";
    private static readonly Lazy<Task<EmbeddedPostgres>> FastCluster = new(() => StartAsync(durable: false));
    private static readonly Lazy<Task<EmbeddedPostgres>> DurableCluster = new(() => StartAsync(durable: true));

    /// <summary>The override for CI against a shared server: DISCLOSURE_TEST_CONNECTION.</summary>
    private static readonly string? External = Environment.GetEnvironmentVariable("DISCLOSURE_TEST_CONNECTION");

    private static async Task<EmbeddedPostgres> StartAsync(bool durable)
    {
        await EmbeddedPostgres.CleanUpOrphansAsync(Prefix);
        var root = Path.Combine("/tmp", $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}");
        Directory.CreateDirectory(root);
        return await EmbeddedPostgres.StartAsync(
            new EmbeddedPostgresOptions(Path.Combine(root, "data"), "postgres") { Durable = durable });
    }

    /// <summary>
    /// A new empty database. Durable clusters keep fsync and synchronous commit on: use them for
    /// tests where commit timing matters (races, kill -9).
    /// </summary>
    public static async Task<TestDatabase> CreateDatabaseAsync(bool durable = false)
    {
        var server = External ?? (await (durable ? DurableCluster : FastCluster).Value).ConnectionString;
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(
            new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"create database {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new TestDatabase(server, name);
    }
}

public sealed class TestDatabase(string server, string name) : IAsyncDisposable
{
    public string Name => name;

    public string ConnectionString { get; } =
        new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 100 }.ConnectionString;

    public NpgsqlDataSource CreateDataSource() => NpgsqlDataSource.Create(ConnectionString);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(
            new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop database if exists {name} with (force)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
