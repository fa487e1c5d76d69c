using System.Text.Json;
using EventSourcedDisclosure.EventStore;

namespace EventSourcedDisclosure.Api.Hosting;

/// <summary>
/// What a command came to. <see cref="Problem"/> when it was refused before deciding (If-Match);
/// <see cref="Replayed"/> when an Idempotency-Key had already written it; otherwise the response.
/// </summary>
public sealed record CommandOutcome(int Status, CommandResponse? Response, long Version, IResult? Problem = null, JsonElement? Replayed = null);

/// <summary>A response kept under an Idempotency-Key for its replay.</summary>
/// <remarks>The body is kept as text: jsonb reorders object keys, and a replay should be the same bytes.</remarks>
public sealed record StoredResponse(int Status, string Body, string? Location, long Version);

/// <summary>
/// A command apart from its HTTP exchange: the stream it appends to, and its decision, which
/// runs in whatever session loaded the stream — its own, or one it shares with other commands
/// (<see cref="CommandBatcher"/>).
/// </summary>
public abstract class QueuedCommand
{
    public abstract AppendTarget Target { get; }

    /// <summary>Set by the batcher once the command's session committed (or it failed).</summary>
    internal TaskCompletionSource<CommandOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Folds the loaded events, decides and appends: with its commit, or queued for the
    /// session's commit when <paramref name="commit"/> is false. Events null: the stream as
    /// <see cref="Known"/> found it.
    /// </summary>
    public abstract Task<CommandOutcome> DecideAsync(EventSession session, IReadOnlyList<StoredEvent>? events, bool commit, CancellationToken ct);

    /// <summary>
    /// The heads this command can be decided from without a load, given the tenant's chain head:
    /// its stream's state as a writer left it (or a stream whose id was just made), the versions of
    /// the streams it locks besides, and an answer at hand for each of its other queries. Null when
    /// anything is missing.
    /// </summary>
    public abstract KnownHeads? Known(KnownStreams cache, ChainHead chain);

    /// <summary>The state and version the command left its stream at: what to remember once its session committed.</summary>
    public (object State, long Version)? Settled { get; protected set; }

    /// <summary>The command in a transaction of its own: two round trips, the second ending with COMMIT.</summary>
    public async Task<CommandOutcome> RunAloneAsync(EventStore.EventStore store, CancellationToken ct)
    {
        await using var session = await store.OpenSessionAsync(ct);
        var events = (await session.LoadForAppendAsync([Target], ct))[0];
        return await DecideAsync(session, events, commit: true, ct);
    }
}

/// <param name="ifMatch">The version the caller says it read (If-Match), if any.</param>
/// <param name="idempotency">The Idempotency-Key and the request's hash, if any: such a command always runs alone.</param>
public sealed class QueuedCommand<TState>(
    StreamRef<TState> stream, Func<TState, EventSession, Task<IReadOnlyList<object>>> decide,
    Func<TState, long, CommandResponse> view, IReadOnlyList<ReadAlongside>? alongside, IReadOnlyList<Guid>? thenLock,
    long? ifMatch, EventMetadata metadata, (string Key, string Hash)? idempotency = null) : QueuedCommand
{
    public override AppendTarget Target { get; } = new(stream.Tenant, stream.Id, alongside, thenLock);

    private (TState State, long Version) _known;

    public override KnownHeads? Known(KnownStreams cache, ChainHead chain)
    {
        KnownStream head;
        if (cache.TryGet(stream.Tenant, stream.Id, out var entry) && entry.State is TState state) (_known, head) = ((state, entry.Head.Version), entry.Head);
        else if (stream.New) (_known, head) = ((stream.Initial, 0), new KnownStream(stream.Id, 0, new KeyRow(false, null)));
        else return null;
        var streams = new List<KnownStream> { head };
        foreach (var other in thenLock ?? [])
            if (cache.TryGet(stream.Tenant, other, out var locked)) streams.Add(locked.Head);
            else return null;
        var stamps = new List<StreamStamp>();
        foreach (var query in alongside ?? [])
            if (query.Known is { } stamp) stamps.Add(stamp);
            else return null;
        return new KnownHeads(stream.Tenant, chain, streams, stamps);
    }

    public override async Task<CommandOutcome> DecideAsync(EventSession session, IReadOnlyList<StoredEvent>? events, bool commit, CancellationToken ct)
    {
        var (state, version) = events is null ? _known
            : (events.Aggregate(stream.Initial, (s, e) => stream.Evolve(s, e.Data)), events.Count == 0 ? 0 : events[^1].Version);
        Settled = (state!, version);
        if (ifMatch is { } expected && expected != version)
            return new(412, null, version, Problems.Problem(412, "precondition-failed", "The resource changed since you read it.",
                $"If-Match was \"{expected}\" but the resource is at \"{version}\"."));

        var decided = await decide(state, session);
        if (decided.Count == 0) return new(200, view(state, version), version); // nothing to change

        var newState = decided.Aggregate(state, stream.Evolve);
        var newVersion = version + decided.Count;
        Settled = (newState!, newVersion);
        var response = view(newState, newVersion);
        var status = version == 0 ? 201 : 200;
        var expectedVersion = version == 0 ? ExpectedVersion.NoStream : ExpectedVersion.Exactly(version);
        // The inline snapshot of this stream folds to the same state: hand it over instead of a read back.
        session.Context.KnowState(stream.Tenant, stream.Id, newState!, newVersion);
        if (!commit)
        {
            if (idempotency is not null) throw new InvalidOperationException("A command under an Idempotency-Key runs alone.");
            await session.QueueAppendAsync(stream.Tenant, stream.Id, stream.Type, expectedVersion, decided, metadata, ct);
            return new(status, response, newVersion);
        }
        // Kept only under an Idempotency-Key, for its replay: otherwise the body is written once, to the caller.
        var tag = idempotency is { } k ? new IdempotencyTag(k.Key, k.Hash,
            new StoredResponse(status, JsonSerializer.Serialize(response.Body, EventTypeRegistry.Json), response.Location, newVersion)) : null;
        var result = await session.AppendAndCommitAsync(stream.Tenant, stream.Id, stream.Type, expectedVersion, decided, metadata, tag, ct);
        return result.Replayed ? new(200, null, newVersion, Replayed: result.StoredResult) : new(status, response, newVersion);
    }
}
