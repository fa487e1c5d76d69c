using EventSourcedDisclosure.EventStore.Projections;

namespace EventSourcedDisclosure.EventStore.Tests;

public sealed class DaemonTests : IAsyncLifetime
{
    private Testing.TestDatabase _db = null!;
    private EventStore _store = null!;

    public async Task InitializeAsync()
    {
        _db = await Testing.TestCluster.CreateDatabaseAsync(durable: true);
        _store = await TestStores.CreateAsync(_db);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task CaughtUp() => await TestStores.EventuallyAsync(async () =>
        (await new ProjectionAdmin(_store).StatusAsync()).Single(s => s.Name == "stream_counts").PendingEvents == 0
        && await _store.ScalarAsync<long>("select count(*) from es.events") == await _store.ScalarAsync<long>("select count(*) from es.applied"));

    [Fact]
    public async Task A_transaction_that_commits_late_is_not_skipped_and_comes_in_commit_order()
    {
        var (early, late) = (Guid.NewGuid(), Guid.NewGuid());
        using var cts = new CancellationTokenSource();
        var daemon = TestStores.Daemon(_store);
        await daemon.StartAsync(cts.Token);

        // Holds the lower sequence open while a higher one commits and is projected. Another
        // tenant: appends within one tenant queue behind its hash chain's lock.
        await using var held = await _store.OpenSessionAsync();
        var heldResult = await held.AppendAsync("a1", early, "thing", ExpectedVersion.NoStream, [new Counted(1)], EventMetadata.System);
        var committed = await _store.AppendAsync("a2", late, "thing", ExpectedVersion.NoStream, [new Counted(2)], EventMetadata.System);
        heldResult.Sequences[0].ShouldBeLessThan(committed.Sequences[0]);

        await Task.Delay(500); // several daemon polls while the early transaction is still open
        (await _store.ProjectedCountsAsync()).ShouldBeEmpty(); // nothing past the oldest open transaction is read

        await held.CommitAsync();
        await CaughtUp();
        await daemon.StopAsync(CancellationToken.None);

        (await _store.ProjectedCountsAsync()).ShouldBe(new SortedDictionary<Guid, long> { [early] = 1, [late] = 1 });
        var order = await _store.CountsAsync("select stream_id, row_number() over (order by tx, seq) from es.events");
        order[early].ShouldBeLessThan(order[late]); // replay order is (tx, seq), not seq
    }

    [Fact]
    public async Task Eight_writers_with_delays_inside_their_transactions_are_projected_exactly_and_a_rebuild_agrees()
    {
        var streams = Enumerable.Range(0, 24).Select(_ => Guid.NewGuid()).ToArray();
        using var cts = new CancellationTokenSource();
        var daemon = TestStores.Daemon(_store);
        await daemon.StartAsync(cts.Token);

        async Task Writer(int seed)
        {
            var random = new Random(seed);
            var written = 0;
            while (written < 2000)
            {
                await using var session = await _store.OpenSessionAsync();
                var n = Math.Min(random.Next(1, 6), 2000 - written);
                var stream = streams[random.Next(streams.Length)];
                await session.AppendAsync($"t{seed % 3}", stream, "thing", ExpectedVersion.Any,
                    Enumerable.Range(0, n).Select(i => (object)new Counted(i)).ToList(), EventMetadata.System);
                if (random.Next(4) == 0) await Task.Delay(random.Next(1, 8)); // commit later than others
                await session.CommitAsync();
                written += n;
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(() => Writer(w))));
        await CaughtUp();
        await daemon.StopAsync(CancellationToken.None);

        (await _store.ScalarAsync<long>("select count(*) from es.events")).ShouldBe(16000);
        var direct = await _store.DirectCountsAsync();
        (await _store.ProjectedCountsAsync()).ShouldBe(direct);
        (await _store.ScalarAsync<long>("select count(*) - count(distinct seq) from es.applied")).ShouldBe(0);

        await new ProjectionAdmin(_store).RebuildAsync("stream_counts");
        (await _store.ProjectedCountsAsync()).ShouldBe(direct);
    }

    [Fact]
    public async Task A_rebuild_returns_only_once_everything_committed_before_it_is_applied_even_behind_a_long_transaction()
    {
        for (var i = 0; i < 10; i++)
            await _store.AppendAsync("a1", Guid.NewGuid(), "thing", ExpectedVersion.NoStream, [new Counted(i)], EventMetadata.System);
        // Any open transaction with an id holds the daemon's read horizon below what commits after it.
        await using var unrelated = await _store.DataSource.OpenConnectionAsync();
        await using var longRunning = await unrelated.BeginTransactionAsync();
        await using (var id = new Npgsql.NpgsqlCommand("select pg_current_xact_id()", unrelated, longRunning)) await id.ExecuteScalarAsync();
        for (var i = 0; i < 5; i++)
            await _store.AppendAsync("a2", Guid.NewGuid(), "thing", ExpectedVersion.NoStream, [new Counted(i)], EventMetadata.System);
        var direct = await _store.DirectCountsAsync();

        var rebuild = new ProjectionAdmin(_store).RebuildAsync("stream_counts");
        await Task.Delay(1000);
        rebuild.IsCompleted.ShouldBeFalse(); // "done" now would leave out the five appended last

        await longRunning.CommitAsync();
        await rebuild.WaitAsync(TimeSpan.FromSeconds(30));
        (await _store.ProjectedCountsAsync()).ShouldBe(direct);
    }

    [Fact]
    public async Task Two_daemons_on_one_database_apply_every_event_exactly_once()
    {
        using var cts = new CancellationTokenSource();
        var (first, second) = (TestStores.Daemon(_store), TestStores.Daemon(_store));
        await first.StartAsync(cts.Token);
        await second.StartAsync(cts.Token);

        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 300; i++)
                await _store.AppendAsync("a1", Guid.NewGuid(), "thing", ExpectedVersion.NoStream, [new Counted(i)], EventMetadata.System);
        }));
        await Task.WhenAll(writers);
        await CaughtUp();

        (first.Leading.Count + second.Leading.Count).ShouldBe(1);
        await first.StopAsync(CancellationToken.None);
        await second.StopAsync(CancellationToken.None);
        (await _store.ScalarAsync<long>("select count(*) from es.applied")).ShouldBe(1200);
        (await _store.ScalarAsync<long>("select count(distinct seq) from es.applied")).ShouldBe(1200);
    }

    [Fact]
    public async Task When_the_leading_daemon_stops_the_other_takes_over()
    {
        using var cts = new CancellationTokenSource();
        var (first, second) = (TestStores.Daemon(_store), TestStores.Daemon(_store));
        await first.StartAsync(cts.Token);
        await TestStores.EventuallyAsync(() => Task.FromResult(first.Leading.Count == 1));
        await second.StartAsync(cts.Token);

        await first.StopAsync(CancellationToken.None);
        await TestStores.EventuallyAsync(() => Task.FromResult(second.Leading.Count == 1), TimeSpan.FromSeconds(10));
        await _store.AppendAsync("a1", Guid.NewGuid(), "thing", ExpectedVersion.NoStream, [new Counted(1)], EventMetadata.System);
        await CaughtUp();
        await second.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Inline_projection_rebuilt_from_the_log_equals_the_live_one()
    {
        for (var i = 0; i < 50; i++)
            await _store.AppendAsync("a1", Guid.NewGuid(), "thing", ExpectedVersion.NoStream, [new Renamed($"n{i}"), new Counted(i)], EventMetadata.System);
        var live = await _store.CountsAsync("select stream_id, version from es.stream_heads");
        var names = await _store.ScalarAsync<string>("select string_agg(name, ',' order by stream_id) from es.stream_heads");

        await new ProjectionAdmin(_store).RebuildAsync("stream_heads");

        (await _store.CountsAsync("select stream_id, version from es.stream_heads")).ShouldBe(live);
        (await _store.ScalarAsync<string>("select string_agg(name, ',' order by stream_id) from es.stream_heads")).ShouldBe(names);
    }
}
