using System.Collections.Concurrent;
using EventSourcedDisclosure.EventStore;
using Microsoft.Extensions.Caching.Memory;

namespace EventSourcedDisclosure.Api.Hosting;

/// <summary>
/// What the command writers' own commits left behind: each tenant's chain head, and the streams
/// they wrote (state, version, key row). A command on a stream written a moment ago then needs no
/// load round trip. Only ever a hint: every use is checked under the locks at commit
/// (<see cref="KnownHeads"/>), and an entry something else made stale costs its batch one more try,
/// with a load. Streams are kept while busy and few: a request's state holds its applicant's
/// personal data, so an idle stream's goes after <c>Commands:KnownStreamIdleSeconds</c>, and an
/// erased stream's is never kept.
/// </summary>
public sealed class KnownStreams : IDisposable
{
    private readonly ConcurrentDictionary<string, ChainHead> _chains = new(StringComparer.Ordinal);
    private readonly MemoryCache _streams;
    private readonly TimeSpan _idle;
    private readonly Timer _sweep;

    public const int DefaultCapacity = 20_000;

    /// <param name="config"><c>Commands:KnownStreams</c>: how many streams at most (0: none, every command loads).</param>
    public KnownStreams(IConfiguration config)
    {
        _streams = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, config.GetValue("Commands:KnownStreams", DefaultCapacity)) });
        _idle = TimeSpan.FromSeconds(Math.Max(1, config.GetValue("Commands:KnownStreamIdleSeconds", 120)));
        // The cache drops an expired entry only when it is next used; a node gone quiet would keep them.
        _sweep = new Timer(_ => _streams.Compact(0), null, _idle, _idle);
    }

    /// <summary>A stream as a writer left it. <see cref="State"/> is null for a stream only locked (a counter).</summary>
    public sealed record Entry(object? State, KnownStream Head);

    /// <summary>
    /// The heads a command can be decided from without a load, if all are known. Its tenant's chain
    /// head is taken either way: until the taker's commit puts the next one back, another writer's
    /// command of the tenant loads (and waits at the chain lock) rather than try a head about to go stale.
    /// </summary>
    public KnownHeads? Take(QueuedCommand command) =>
        _chains.TryRemove(command.Target.Tenant, out var chain) ? command.Known(this, chain) : null;

    /// <summary>What a committed session holds of its commands' tenants and streams: where the next commands may start from.</summary>
    public void Remember(EventSession session, IEnumerable<QueuedCommand> committed)
    {
        foreach (var command in committed)
        {
            var (tenant, id) = (command.Target.Tenant, command.Target.Stream);
            if (session.HeldChain(tenant) is { } chain)
                _chains.AddOrUpdate(tenant, chain, (_, held) => chain.Position >= held.Position ? chain : held); // a later head put back wins
            if (session.HeldStream(tenant, id) is { } head && command.Settled is { } settled && settled.Version == head.Version)
                Put(tenant, id, new Entry(settled.State, head));
            else Forget(tenant, id);
            foreach (var other in command.Target.ThenLock ?? [])
                if (session.HeldStream(tenant, other) is { } locked) Put(tenant, other, new Entry(null, locked));
        }
    }

    /// <summary>A command's tenant and streams, written (or maybe written) where the writers do not see.</summary>
    public void Forget(QueuedCommand command)
    {
        var tenant = command.Target.Tenant;
        Forget(tenant);
        Forget(tenant, command.Target.Stream);
        foreach (var other in command.Target.ThenLock ?? []) Forget(tenant, other);
    }

    /// <summary>Streams kept now.</summary>
    public int Count => _streams.Count;

    public bool TryGet(string tenant, Guid stream, out Entry entry) => (entry = _streams.Get<Entry>((tenant, stream))!) is not null;

    public void Put(string tenant, Guid stream, Entry entry)
    {
        if (entry.Head.Key is { Exists: true, WrappedKey: null }) { Forget(tenant, stream); return; }
        _streams.Set((tenant, stream), entry, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = _idle });
    }

    private void Forget(string tenant) => _chains.TryRemove(tenant, out _);

    private void Forget(string tenant, Guid stream) => _streams.Remove((tenant, stream));

    public void Dispose()
    {
        _sweep.Dispose();
        _streams.Dispose();
    }
}
