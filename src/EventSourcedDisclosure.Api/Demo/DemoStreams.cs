using EventSourcedDisclosure.EventStore;

namespace EventSourcedDisclosure.Api.Demo;

/// <summary>
/// Runs demo commands the way the API does — fold the stream, decide, append at the folded
/// version — keeping each stream's state in memory so a seeded year costs no re-reads.
/// </summary>
internal sealed class DemoStreams(EventStore.EventStore store, CancellationToken ct)
{
    private readonly Dictionary<Guid, (object State, long Version)> _known = new();

    public long Appended { get; private set; }

    public async Task<TState> RunAsync<TState>(string tenant, Guid id, string type, TState initial, Func<TState, object, TState> evolve,
        Func<TState, IReadOnlyList<object>> decide, string actor) where TState : notnull
    {
        var (state, version) = _known.TryGetValue(id, out var known) ? ((TState)known.State, known.Version) : (initial, 0L);
        var events = decide(state);
        if (events.Count == 0) return state;
        await store.AppendAsync(tenant, id, type, version == 0 ? ExpectedVersion.NoStream : ExpectedVersion.Exactly(version),
            events, new EventMetadata(actor, "demo"), ct: ct);
        state = events.Aggregate(state, evolve);
        _known[id] = (state, version + events.Count);
        Appended += events.Count;
        return state;
    }

    /// <summary>An append in a session the caller composes (a publication and its index serial commit together).</summary>
    public async Task<EventSession> SessionAsync() => await store.OpenSessionAsync(ct);

    public (TState State, long Version) Peek<TState>(Guid id) => ((TState)_known[id].State, _known[id].Version);

    /// <summary>After an append the caller made in its own session.</summary>
    public void Remember<TState>(Guid id, TState state, long version, int appended) where TState : notnull
    {
        _known[id] = (state, version);
        Appended += appended;
    }
}
