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

    public const int DefaultCapacity = 20_000;

    /// <param name="config"><c>Commands:KnownStreams</c>: how many streams at most (0: none, every command loads).</param>
    public KnownStreams(IConfiguration config)
    {
        _streams = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, config.GetValue("Commands:KnownStreams", DefaultCapacity)) });
        _idle = TimeSpan.FromSeconds(Math.Max(1, config.GetValue("Commands:KnownStreamIdleSeconds", 120)));
    }

    /// <summary>A stream as a writer left it. <see cref="State"/> is null for a stream only locked (a counter).</summary>
    public sealed record Entry(object? State, KnownStream Head);

    /// <summary>
    /// The tenant's chain head, taken: until the taker's commit puts the next one back, another
    /// writer's command of the tenant loads (and waits at the chain lock) rather than try a head
    /// about to go stale.
    /// </summary>
    public bool TryTakeChain(string tenant, out ChainHead head) => _chains.TryRemove(tenant, out head);

    /// <summary>The head after a commit; a later one already put back wins.</summary>
    public void PutChain(string tenant, ChainHead head) =>
        _chains.AddOrUpdate(tenant, head, (_, held) => head.Position >= held.Position ? head : held);

    public bool TryGet(string tenant, Guid stream, out Entry entry)
    {
        entry = null!;
        return _streams.TryGetValue((tenant, stream), out var found) && (entry = (found as Entry)!) is not null;
    }

    public void Put(string tenant, Guid stream, Entry entry)
    {
        if (entry.Head.Key is { Exists: true, WrappedKey: null }) { Forget(tenant, stream); return; }
        _streams.Set((tenant, stream), entry, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = _idle });
    }

    public void Forget(string tenant) => _chains.TryRemove(tenant, out _);

    public void Forget(string tenant, Guid stream) => _streams.Remove((tenant, stream));

    public void Dispose() => _streams.Dispose();
}
