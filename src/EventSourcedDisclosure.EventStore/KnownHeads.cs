namespace EventSourcedDisclosure.EventStore;

/// <summary>
/// What a writer knows of a tenant without reading it: the chain's head and streams' versions as
/// its own last commit left them. A session that is given them appends without a load round trip,
/// and checks them under the same locks a load would take (<c>verify_heads</c>): if anything
/// changed meanwhile — another node, the CLI, an erasure — nothing of the transaction is written
/// and it fails with PostgreSQL state <see cref="StaleSqlState"/>, to be run again with a load.
/// </summary>
/// <param name="Streams">Locked in this order: the command's stream first, then the others it appends to.</param>
/// <param name="Stamps">Streams the decision read without locking (the agency, the calendar), at the version read.</param>
public sealed record KnownHeads(string Tenant, ChainHead Chain, IReadOnlyList<KnownStream> Streams, IReadOnlyList<StreamStamp> Stamps)
{
    public const string StaleSqlState = "ES412";
}

public readonly record struct ChainHead(long Position, string Hash);

/// <summary>A stream's version and, if known, its personal-data key row (a stream without one: <c>new KeyRow(false, null)</c>).</summary>
public sealed record KnownStream(Guid Id, long Version, KeyRow? Key);

/// <summary>Whether the stream has a data key row, and its wrapped key (null once erased).</summary>
public readonly record struct KeyRow(bool Exists, string? WrappedKey);

public sealed record StreamStamp(string Tenant, Guid Stream, long Version);
