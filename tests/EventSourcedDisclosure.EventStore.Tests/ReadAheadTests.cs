using EventSourcedDisclosure.EventStore.Projections;

namespace EventSourcedDisclosure.EventStore.Tests;

/// <summary>
/// A daemon that is behind reads its next batch while it applies the current one: never an event
/// twice, never one skipped, whatever commits meanwhile or moves its checkpoint.
/// </summary>
public sealed class ReadAheadTests : IAsyncLifetime
{
    private Testing.TestDatabase _db = null!;
    private EventStore _store = null!;

    public async Task InitializeAsync()
    {
        _db = await Testing.TestCluster.CreateDatabaseAsync();
        // Batches of five: nearly every batch comes back full, so nearly every one is read ahead.
        _store = await TestStores.CreateAsync(_db, configure: o => o.DaemonBatchSize = 5);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Batches_read_ahead_while_writers_commit_out_of_order_apply_every_event_once()
    {
        var streams = Enumerable.Range(0, 6).Select(_ => Guid.NewGuid()).ToArray();
        using var cts = new CancellationTokenSource();
        var daemon = TestStores.Daemon(_store);
        await daemon.StartAsync(cts.Token);

        async Task Writer(int seed)
        {
            var random = new Random(seed);
            for (var written = 0; written < 400;)
            {
                await using var session = await _store.OpenSessionAsync();
                var n = random.Next(1, 4);
                await session.AppendAsync($"t{seed % 2}", streams[random.Next(streams.Length)], "thing", ExpectedVersion.Any,
                    Enumerable.Range(0, n).Select(i => (object)new Counted(i)).ToList(), EventMetadata.System);
                if (random.Next(3) == 0) await Task.Delay(random.Next(1, 5)); // commit after later appends
                await session.CommitAsync();
                written += n;
            }
        }
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(() => Writer(w))));
        await TestStores.EventuallyAsync(async () =>
            await _store.ScalarAsync<long>("select count(*) from es.events") == await _store.ScalarAsync<long>("select count(*) from es.applied"));
        await daemon.StopAsync(CancellationToken.None);

        (await _store.ProjectedCountsAsync()).ShouldBe(await _store.DirectCountsAsync());
        (await _store.ScalarAsync<long>("select count(*) - count(distinct seq) from es.applied")).ShouldBe(0);
    }

    [Fact]
    public async Task A_batch_read_ahead_from_where_the_checkpoint_no_longer_stands_is_dropped()
    {
        var stream = Guid.NewGuid();
        for (var i = 0; i < 12; i++)
            await _store.AppendAsync("t", stream, "thing", ExpectedVersion.Any, [new Counted(i)], EventMetadata.System);
        var runner = new ProjectionRunner(_store, _store.Options.Async.Single(p => p.Name == "stream_counts"));
        // The daemon reads below the cluster's oldest running transaction: other tests' may hold it back a moment.
        await TestStores.EventuallyAsync(async () =>
            (await new ProjectionAdmin(_store).StatusAsync()).Single(s => s.Name == "stream_counts").PendingEvents == 12);

        (await runner.RunBatchAsync(CancellationToken.None)).ShouldBe(5); // full: events 6–12 are read ahead
        await new ProjectionAdmin(_store).RebuildAsync("stream_counts"); // elsewhere: reset, and caught up to the head

        (await runner.RunBatchAsync(CancellationToken.None)).ShouldBe(0); // applying the read-ahead would count 6–12 twice
        (await _store.ProjectedCountsAsync()).ShouldBe(new SortedDictionary<Guid, long> { [stream] = 12 });
    }
}
