namespace EventSourcedDisclosure.EventStore.Tests;

/// <summary>
/// One session for streams of several tenants (the API's group commit): loaded and locked in one
/// round trip, appended to with each chain extended from its own head, committed together.
/// </summary>
public sealed class SharedSessionTests : IAsyncLifetime
{
    private Testing.TestDatabase _db = null!;
    private EventStore _store = null!;
    private static readonly EventMetadata Alice = new("alice", "corr-1");

    public async Task InitializeAsync()
    {
        _db = await Testing.TestCluster.CreateDatabaseAsync();
        _store = await TestStores.CreateAsync(_db);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Streams_of_several_tenants_load_together_and_their_queued_appends_commit_together()
    {
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        await _store.AppendAsync("t1", a, "thing", ExpectedVersion.NoStream, [new Counted(1), new Counted(2)], Alice);
        await _store.AppendAsync("t2", Guid.NewGuid(), "thing", ExpectedVersion.NoStream, [new Counted(7)], Alice); // t2's chain is at 1

        await using (var session = await _store.OpenSessionAsync())
        {
            var loaded = await session.LoadForAppendAsync([new AppendTarget("t1", a), new AppendTarget("t2", b)]);
            loaded[0].Select(e => e.Data).ShouldBe([new Counted(1), new Counted(2)]);
            loaded[1].ShouldBeEmpty();
            await session.QueueAppendAsync("t1", a, "thing", ExpectedVersion.Exactly(2), [new Counted(3)], Alice);
            await session.QueueAppendAsync("t2", b, "thing", ExpectedVersion.NoStream, [new Counted(1)], Alice);
            (await _store.ScalarAsync<long>("select count(*) from es.events")).ShouldBe(3); // queued, not written
            await session.CommitQueuedAsync();
        }

        (await _store.ScalarAsync<string>(
                $"select string_agg(tenant_id || ':' || version || ':' || chain_position, ',' order by tenant_id, chain_position) from es.events where stream_id in ('{a}', '{b}')"))
            .ShouldBe("t1:1:1,t1:2:2,t1:3:3,t2:1:2");
        (await _store.ScalarAsync<long>($"select count(distinct tx) from es.events where (stream_id = '{a}' and version = 3) or stream_id = '{b}'"))
            .ShouldBe(1);
        (await new Integrity.ChainVerifier(_store).VerifyAsync("t1")).Verified.ShouldBeTrue();
        (await new Integrity.ChainVerifier(_store).VerifyAsync("t2")).Verified.ShouldBeTrue();
    }

    [Fact]
    public async Task A_statement_that_fails_at_the_commit_leaves_nothing_of_any_stream()
    {
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        await using (var session = await _store.OpenSessionAsync())
        {
            await session.LoadForAppendAsync([new AppendTarget("t1", a), new AppendTarget("t2", b)]);
            await session.QueueAppendAsync("t1", a, "thing", ExpectedVersion.NoStream, [new Counted(1)], Alice);
            session.Context.Defer(new Npgsql.NpgsqlBatchCommand("select 1 / 0"));
            await session.QueueAppendAsync("t2", b, "thing", ExpectedVersion.NoStream, [new Counted(1)], Alice);
            await Should.ThrowAsync<Npgsql.PostgresException>(() => session.CommitQueuedAsync());
        }

        (await _store.ScalarAsync<long>("select count(*) from es.events")).ShouldBe(0);
        (await _store.ScalarAsync<long>("select count(*) from es.streams")).ShouldBe(0);
    }

    [Theory]
    [InlineData("t2", "t1")]
    [InlineData("t1", "t1")]
    public async Task Targets_must_be_of_distinct_tenants_in_ascending_order(string first, string second)
    {
        await using var session = await _store.OpenSessionAsync();

        await Should.ThrowAsync<ArgumentException>(() =>
            session.LoadForAppendAsync([new AppendTarget(first, Guid.NewGuid()), new AppendTarget(second, Guid.NewGuid())]));
    }

    [Fact]
    public async Task Sessions_on_a_connection_the_caller_keeps_commit_or_roll_back_and_leave_it_open_for_the_next()
    {
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        await using var connection = await _store.DataSource.OpenConnectionAsync();

        await using (var session = await _store.OpenSessionOnAsync(connection))
        {
            await session.LoadForAppendAsync([new AppendTarget("t1", a)]);
            await session.QueueAppendAsync("t1", a, "thing", ExpectedVersion.NoStream, [new Counted(1)], Alice);
            await session.CommitQueuedAsync();
        }
        await using (var session = await _store.OpenSessionOnAsync(connection))
        {
            await session.LoadForAppendAsync([new AppendTarget("t2", b)]);
            await session.QueueAppendAsync("t2", b, "thing", ExpectedVersion.NoStream, [new Counted(1)], Alice);
        } // not committed: rolled back, the connection kept
        await using (var session = await _store.OpenSessionOnAsync(connection))
        {
            var loaded = await session.LoadForAppendAsync([new AppendTarget("t1", a), new AppendTarget("t2", b)]);
            loaded[0].Select(e => e.Data).ShouldBe([new Counted(1)]);
            loaded[1].ShouldBeEmpty();
        }

        connection.State.ShouldBe(System.Data.ConnectionState.Open);
        (await _store.ScalarAsync<long>($"select count(*) from es.events where stream_id in ('{a}', '{b}')")).ShouldBe(1);
    }
}
