namespace EventSourcedDisclosure.EventStore.Tests;

/// <summary>Races run on the durable cluster: commit timing is what they are about.</summary>
public sealed class ConcurrencyTests : IAsyncLifetime
{
    private Testing.TestDatabase _db = null!;
    private EventStore _store = null!;

    public async Task InitializeAsync()
    {
        _db = await Testing.TestCluster.CreateDatabaseAsync(durable: true);
        _store = await TestStores.CreateAsync(_db);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Thirty_two_writers_on_one_stream_leave_versions_one_to_n_with_no_gap_or_duplicate()
    {
        var id = Guid.NewGuid();
        await _store.AppendAsync("a1", id, "thing", ExpectedVersion.NoStream, [new Counted(0)], EventMetadata.System);
        var successes = 0;
        var conflicts = 0;

        async Task Writer(int writer)
        {
            for (var round = 0; round < 10; round++)
            {
                var (_, version) = await _store.AggregateStreamAsync("a1", id, 0, (s, _) => s);
                try
                {
                    await _store.AppendAsync("a1", id, "thing", ExpectedVersion.Exactly(version),
                        [new Counted(writer), new Counted(round)], new EventMetadata($"writer-{writer}"));
                    Interlocked.Increment(ref successes);
                }
                catch (ConcurrencyException e)
                {
                    e.ActualVersion.ShouldBeGreaterThan(version);
                    Interlocked.Increment(ref conflicts);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 32).Select(w => Task.Run(() => Writer(w))));

        (successes + conflicts).ShouldBe(320);
        conflicts.ShouldBeGreaterThan(0);
        var versions = (await _store.ReadStreamAsync("a1", id)).Select(e => e.Version).ToList();
        versions.ShouldBe(Enumerable.Range(1, 1 + 2 * successes).Select(v => (long)v).ToList());
        (await _store.ScalarAsync<long>("select version from es.streams")).ShouldBe(1 + 2 * successes);
    }

    [Fact]
    public async Task Same_idempotency_key_appends_once_and_replays_the_first_result()
    {
        var id = Guid.NewGuid();
        var tag = new IdempotencyTag("key-1", "hash-A", new { answer = 42 });

        var first = await _store.AppendAsync("a1", id, "thing", ExpectedVersion.NoStream, [new Counted(1)], EventMetadata.System, tag);
        // A retry arrives after the stream moved on: it must still get the first answer.
        await _store.AppendAsync("a1", id, "thing", ExpectedVersion.Any, [new Counted(2)], EventMetadata.System);
        var retry = await _store.AppendAsync("a1", id, "thing", ExpectedVersion.NoStream, [new Counted(1)], EventMetadata.System, tag);

        first.Replayed.ShouldBeFalse();
        retry.Replayed.ShouldBeTrue();
        retry.Version.ShouldBe(1);
        retry.StoredResult!.Value.GetProperty("answer").GetInt32().ShouldBe(42);
        (await _store.ReadStreamAsync("a1", id)).Count.ShouldBe(2);
        (await _store.FindIdempotentResultAsync("a1", "key-1"))!.Value.RequestHash.ShouldBe("hash-A");
    }

    [Fact]
    public async Task Same_idempotency_key_with_another_request_is_rejected_and_appends_nothing()
    {
        var id = Guid.NewGuid();
        await _store.AppendAsync("a1", id, "thing", ExpectedVersion.NoStream, [new Counted(1)], EventMetadata.System, new("key-2", "hash-A", null));

        await Should.ThrowAsync<IdempotencyKeyReusedException>(() =>
            _store.AppendAsync("a1", Guid.NewGuid(), "thing", ExpectedVersion.NoStream, [new Counted(9)], EventMetadata.System, new("key-2", "hash-B", null)));

        (await _store.ScalarAsync<long>("select count(*) from es.events")).ShouldBe(1);
    }

    [Fact]
    public async Task Concurrent_retries_with_one_key_create_one_stream()
    {
        // Each retry of a "create" carries a fresh stream id, as an HTTP POST would.
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() =>
            _store.AppendAsync("a1", Guid.NewGuid(), "thing", ExpectedVersion.NoStream, [new Counted(1)],
                EventMetadata.System, new("key-3", "hash-A", new { created = true })))));

        results.Count(r => !r.Replayed).ShouldBe(1);
        (await _store.ScalarAsync<long>("select count(*) from es.streams")).ShouldBe(1);
    }

    [Fact]
    public async Task Idempotency_keys_are_per_tenant()
    {
        await _store.AppendAsync("a1", Guid.NewGuid(), "thing", ExpectedVersion.NoStream, [new Counted(1)], EventMetadata.System, new("k", "h1", null));
        var other = await _store.AppendAsync("a2", Guid.NewGuid(), "thing", ExpectedVersion.NoStream, [new Counted(1)], EventMetadata.System, new("k", "h2", null));
        other.Replayed.ShouldBeFalse();
    }
}
