using Npgsql;

namespace EventSourcedDisclosure.EventStore;

/// <summary>
/// A query sent in the same round trip as a stream read (what a command needs besides its stream:
/// its agency, the calendar's version). <see cref="ReadAsync"/> gets the reader positioned on the
/// query's result set and must not move past it.
/// </summary>
public sealed record ReadAlongside(NpgsqlBatchCommand Command, Func<NpgsqlDataReader, CancellationToken, Task> ReadAsync)
{
    /// <summary>
    /// Set when the caller already holds this query's answer, as of the stream version stamped:
    /// a writer that knows the command's stream may then skip the query and check the stamp.
    /// </summary>
    public StreamStamp? Known { get; init; }

    /// <summary>
    /// The same query as a command of its own. A batch command keeps what Npgsql learnt when it
    /// ran (its prepared statement), and sent again in another batch it binds the wrong statement:
    /// a session sends a copy, so a command can be tried again (alone, after its group failed).
    /// </summary>
    internal ReadAlongside Fresh()
    {
        var command = new NpgsqlBatchCommand(Command.CommandText) { CommandType = Command.CommandType };
        foreach (NpgsqlParameter parameter in Command.Parameters) command.Parameters.Add(parameter.Clone());
        return this with { Command = command };
    }
}

/// <summary>
/// A stream a session will append to, with what its decision needs besides (see
/// <see cref="EventSession.LoadForAppendAsync"/>): other queries, and streams of the same tenant to lock after it.
/// With <see cref="Known"/> heads the session neither reads nor folds it (<see cref="EventSession.OpenForAppendAsync"/>).
/// </summary>
public sealed record AppendTarget(string Tenant, Guid Stream, IReadOnlyList<ReadAlongside>? Alongside = null, IReadOnlyList<Guid>? ThenLock = null)
{
    public KnownHeads? Known { get; init; }
}
