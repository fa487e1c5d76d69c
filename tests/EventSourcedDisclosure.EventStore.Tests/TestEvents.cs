using Microsoft.Extensions.Logging;
using EventSourcedDisclosure.EventStore;
using EventSourcedDisclosure.EventStore.Projections;
using EventSourcedDisclosure.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace EventSourcedDisclosure.EventStore.Tests;

public sealed record Counted(int N);
public sealed record Renamed(string Name);

/// <summary>Async: counts events per stream, and logs every applied sequence (to see doubles).</summary>
public sealed class StreamCountProjection : IProjection
{
    public string Name => "stream_counts";

    public string SchemaSql(string s) => $"""
        create table if not exists {s}.stream_counts (stream_id uuid primary key, events bigint not null);
        create table if not exists {s}.applied (seq bigint not null);
        """;

    public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<StoredEvent> events, CancellationToken ct)
    {
        await using var command = context.Command($"""
            with counted as (
                insert into {context.Schema}.stream_counts (stream_id, events)
                select id, count(*) from unnest($1::uuid[]) as id group by id
                on conflict (stream_id) do update set events = stream_counts.events + excluded.events)
            insert into {context.Schema}.applied (seq) select unnest($2::bigint[]);
            """);
        command.Parameters.Add(new() { Value = events.Select(e => e.StreamId).ToArray() });
        command.Parameters.Add(new() { Value = events.Select(e => e.Sequence).ToArray() });
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task ResetAsync(ProjectionContext context, CancellationToken ct)
    {
        await using var command = context.Command($"delete from {context.Schema}.stream_counts; delete from {context.Schema}.applied;");
        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>Inline: each stream's latest name and version; fails on demand to prove atomicity.</summary>
public sealed class StreamHeadProjection : IProjection
{
    public string Name => "stream_heads";

    public string SchemaSql(string s) =>
        $"create table if not exists {s}.stream_heads (stream_id uuid primary key, version bigint not null, name text);";

    public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<StoredEvent> events, CancellationToken ct)
    {
        foreach (var e in events)
        {
            if (e.Data is Renamed { Name: "explode" }) throw new InvalidOperationException("projection failed");
            // A write that fails in PostgreSQL, in the batch that carries the append (and its commit).
            if (e.Data is Renamed { Name: "divide by zero" }) context.Defer(new Npgsql.NpgsqlBatchCommand("select 1 / 0"));
            await using var command = context.Command($"""
                insert into {context.Schema}.stream_heads (stream_id, version, name) values ($1, $2, $3)
                on conflict (stream_id) do update set version = excluded.version,
                    name = coalesce(excluded.name, stream_heads.name)
                """);
            command.Parameters.Add(new() { Value = e.StreamId });
            command.Parameters.Add(new() { Value = e.Version });
            command.Parameters.Add(new() { Value = (object?)(e.Data as Renamed)?.Name ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    public async Task ResetAsync(ProjectionContext context, CancellationToken ct)
    {
        await using var command = context.Command($"delete from {context.Schema}.stream_heads");
        await command.ExecuteNonQueryAsync(ct);
    }
}

public static class TestStores
{
    public static async Task<EventStore> CreateAsync(TestDatabase db, string schema = "es", Action<EventStoreOptions>? configure = null)
    {
        var options = new EventStoreOptions { Schema = schema, DaemonPollInterval = TimeSpan.FromMilliseconds(20), LeadershipRetryInterval = TimeSpan.FromMilliseconds(100) };
        options.Events.Register<Counted>("test.counted.v1").Register<Renamed>("test.renamed.v1");
        options.AddProjection(new StreamCountProjection(), ProjectionLifecycle.Async);
        options.AddProjection(new StreamHeadProjection(), ProjectionLifecycle.Inline);
        configure?.Invoke(options);
        var store = new EventStore(db.CreateDataSource(), options);
        await store.MigrateAsync();
        return store;
    }

    public static ProjectionDaemon Daemon(EventStore store) => new(store, Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning)).CreateLogger<ProjectionDaemon>());

    public static async Task<T> ScalarAsync<T>(this EventStore store, string sql)
    {
        await using var command = store.DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Per stream, the events the async stream_counts projection has counted.</summary>
    public static Task<SortedDictionary<Guid, long>> ProjectedCountsAsync(this EventStore store) =>
        store.CountsAsync("select stream_id, events from es.stream_counts");

    /// <summary>Per stream, the events in the log.</summary>
    public static Task<SortedDictionary<Guid, long>> DirectCountsAsync(this EventStore store) =>
        store.CountsAsync("select stream_id, count(*) from es.events group by stream_id");

    public static async Task<SortedDictionary<Guid, long>> CountsAsync(this EventStore store, string sql)
    {
        var result = new SortedDictionary<Guid, long>();
        await using var command = store.DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) result[reader.GetGuid(0)] = reader.GetInt64(1);
        return result;
    }

    /// <summary>Waits (bounded) until a condition holds; daemons are asynchronous by design.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not reached in time");
            await Task.Delay(50);
        }
    }
}
