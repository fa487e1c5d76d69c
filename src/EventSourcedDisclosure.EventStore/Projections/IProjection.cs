using Npgsql;

namespace EventSourcedDisclosure.EventStore.Projections;

public enum ProjectionLifecycle
{
    /// <summary>Applied in the appending transaction: read-your-writes, one stream's rows.</summary>
    Inline,
    /// <summary>Applied by the daemon from the global log: aggregates over many streams.</summary>
    Async,
}

/// <summary>The connection and transaction a projection writes its read model in.</summary>
public sealed record ProjectionContext(NpgsqlConnection Connection, NpgsqlTransaction Transaction, string Schema)
{
    public NpgsqlCommand Command(string sql)
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        return command;
    }
}

/// <summary>
/// A deterministic fold of events into tables: no clock, no random ids, so that a rebuild from
/// the log equals the live read model.
/// </summary>
public interface IProjection
{
    string Name { get; }

    /// <summary>Idempotent DDL for the read model's tables, in the store's schema.</summary>
    string SchemaSql(string schema);

    Task ApplyAsync(ProjectionContext context, IReadOnlyList<StoredEvent> events, CancellationToken ct);

    /// <summary>Empties the read model before a rebuild.</summary>
    Task ResetAsync(ProjectionContext context, CancellationToken ct);
}

/// <summary>
/// A projection that replays faster with some of its indexes dropped (a GIN index is far cheaper
/// built once than updated row by row): called in the rebuild's transaction, before and after.
/// </summary>
public interface IRebuildAware
{
    Task BeforeReplayAsync(ProjectionContext context, CancellationToken ct);
    Task AfterReplayAsync(ProjectionContext context, CancellationToken ct);
}

public sealed record ProjectionRegistration(IProjection Projection, ProjectionLifecycle Lifecycle);
