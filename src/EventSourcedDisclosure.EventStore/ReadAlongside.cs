using Npgsql;

namespace EventSourcedDisclosure.EventStore;

/// <summary>
/// A query sent in the same round trip as a stream read (what a command needs besides its stream:
/// its agency, the calendar's version). <see cref="ReadAsync"/> gets the reader positioned on the
/// query's result set and must not move past it.
/// </summary>
public sealed record ReadAlongside(NpgsqlBatchCommand Command, Func<NpgsqlDataReader, CancellationToken, Task> ReadAsync);

/// <summary>
/// A stream a session will append to, with what its decision needs besides (see
/// <see cref="EventSession.LoadForAppendAsync"/>): other queries, and streams of the same tenant to lock after it.
/// </summary>
public sealed record AppendTarget(string Tenant, Guid Stream, IReadOnlyList<ReadAlongside>? Alongside = null, IReadOnlyList<Guid>? ThenLock = null);
