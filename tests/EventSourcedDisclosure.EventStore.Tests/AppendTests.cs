namespace EventSourcedDisclosure.EventStore.Tests;

public sealed class AppendTests : IAsyncLifetime
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
    public async Task New_stream_gets_versions_from_one_and_rising_sequences()
    {
        var id = Guid.NewGuid();
        var result = await _store.AppendAsync("a1", id, "thing", ExpectedVersion.NoStream, [new Counted(1), new Counted(2), new Counted(3)], Alice);

        result.Version.ShouldBe(3);
        result.Sequences.ShouldBe(result.Sequences.Order().ToList());
        var events = await _store.ReadStreamAsync("a1", id);
        events.Select(e => e.Version).ShouldBe([1L, 2L, 3L]);
        events.Select(e => e.Data).ShouldBe([new Counted(1), new Counted(2), new Counted(3)]);
        events[0].Metadata.ShouldBe(Alice);
        events[0].Type.ShouldBe("test.counted.v1");
    }

    [Fact]
    public async Task Stale_expected_version_throws_and_writes_nothing()
    {
        var id = Guid.NewGuid();
        await _store.AppendAsync("a1", id, "thing", ExpectedVersion.NoStream, [new Counted(1)], Alice);

        var error = await Should.ThrowAsync<ConcurrencyException>(() =>
            _store.AppendAsync("a1", id, "thing", ExpectedVersion.NoStream, [new Counted(2)], Alice));
        error.ActualVersion.ShouldBe(1);
        await Should.ThrowAsync<ConcurrencyException>(() =>
            _store.AppendAsync("a1", id, "thing", ExpectedVersion.Exactly(5), [new Counted(2)], Alice));

        (await _store.ReadStreamAsync("a1", id)).Count.ShouldBe(1);
        (await _store.ScalarAsync<long>("select count(*) from es.events")).ShouldBe(1);
    }

    [Fact]
    public async Task Any_appends_whatever_the_version()
    {
        var id = Guid.NewGuid();
        await _store.AppendAsync("a1", id, "thing", ExpectedVersion.Any, [new Counted(1)], Alice);
        (await _store.AppendAsync("a1", id, "thing", ExpectedVersion.Any, [new Counted(2)], Alice)).Version.ShouldBe(2);
    }

    [Fact]
    public async Task Streams_read_up_to_a_version_or_an_instant_and_fold()
    {
        var id = Guid.NewGuid();
        await _store.AppendAsync("a1", id, "thing", ExpectedVersion.NoStream, [new Counted(1), new Counted(2)], Alice);
        var firstAt = (await _store.ReadStreamAsync("a1", id))[^1].RecordedAt;
        await Task.Delay(20);
        await _store.AppendAsync("a1", id, "thing", ExpectedVersion.Exactly(2), [new Counted(10)], Alice);

        (await _store.ReadStreamAsync("a1", id, toVersion: 1)).Count.ShouldBe(1);
        (await _store.ReadStreamAsync("a1", id, asOf: firstAt)).Count.ShouldBe(2);
        var (sum, version) = await _store.AggregateStreamAsync("a1", id, 0, (s, e) => s + ((Counted)e).N);
        (sum, version).ShouldBe((13, 3L));
        (await _store.AggregateStreamAsync("a1", Guid.NewGuid(), 0, (s, _) => s + 1)).Version.ShouldBe(0);
    }

    [Fact]
    public async Task Reads_are_scoped_to_the_tenant_unless_global()
    {
        var id = Guid.NewGuid();
        await _store.AppendAsync("a1", id, "thing", ExpectedVersion.NoStream, [new Counted(1)], Alice);
        await _store.AppendAsync("a2", Guid.NewGuid(), "thing", ExpectedVersion.NoStream, [new Counted(2)], Alice);

        (await _store.ReadStreamAsync("a2", id)).ShouldBeEmpty();
        // The global read serves only finished transactions below the cluster's oldest running one:
        // other tests' transactions may hold that horizon back for a moment.
        await TestStores.EventuallyAsync(async () => (await _store.ReadAllAsync(LogPosition.Start, 100, LogFilter.Global)).Count == 2);
        (await _store.ReadAllAsync(LogPosition.Start, 100, new LogFilter("a2"))).Select(e => e.TenantId).ShouldBe(["a2"]);
        (await _store.ReadAllAsync(LogPosition.Start, 100, LogFilter.Global)).Count.ShouldBe(2);
        (await _store.ReadAllAsync(LogPosition.Start, 100, new LogFilter(Types: ["test.renamed.v1"]))).ShouldBeEmpty();
    }

    [Fact]
    public async Task Inline_projection_commits_with_the_events_and_its_failure_appends_nothing()
    {
        var id = Guid.NewGuid();
        await _store.AppendAsync("a1", id, "thing", ExpectedVersion.NoStream, [new Renamed("first")], Alice);
        (await _store.ScalarAsync<string>($"select name from es.stream_heads where stream_id = '{id}'")).ShouldBe("first");

        await Should.ThrowAsync<InvalidOperationException>(() =>
            _store.AppendAsync("a1", id, "thing", ExpectedVersion.Exactly(1), [new Renamed("explode")], Alice));

        (await _store.ReadStreamAsync("a1", id)).Count.ShouldBe(1);
        (await _store.ScalarAsync<long>($"select version from es.stream_heads where stream_id = '{id}'")).ShouldBe(1);
    }

    [Fact]
    public async Task A_write_that_fails_in_the_committing_batch_appends_nothing_and_leaves_no_transaction_open()
    {
        var id = Guid.NewGuid();
        await _store.AppendAsync("a1", id, "thing", ExpectedVersion.NoStream, [new Renamed("first")], Alice);

        var error = await Should.ThrowAsync<Npgsql.PostgresException>(() =>
            _store.AppendAsync("a1", id, "thing", ExpectedVersion.Exactly(1), [new Renamed("divide by zero")], Alice));

        error.SqlState.ShouldBe(Npgsql.PostgresErrorCodes.DivisionByZero);
        (await _store.ReadStreamAsync("a1", id)).Count.ShouldBe(1);
        (await _store.ScalarAsync<long>($"select version from es.stream_heads where stream_id = '{id}'")).ShouldBe(1);
        // The pooled connection went back rolled back: the appends after it commit, one by one.
        for (var i = 0; i < 3; i++)
            await _store.AppendAsync("a1", id, "thing", ExpectedVersion.Exactly(1 + i), [new Counted(i)], Alice);
        (await _store.ReadStreamAsync("a1", id)).Count.ShouldBe(4);
        (await _store.ScalarAsync<long>(
            "select count(*) from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'")).ShouldBe(0);
    }

    [Fact]
    public async Task An_append_and_commit_is_committed_before_the_session_ends_and_stays_so()
    {
        var id = Guid.NewGuid();
        await using (var session = await _store.OpenSessionAsync())
        {
            await session.AppendAndCommitAsync("a1", id, "thing", ExpectedVersion.NoStream, [new Renamed("first")], Alice);
            (await _store.ScalarAsync<long>($"select count(*) from es.events where stream_id = '{id}'")).ShouldBe(1);
        }
        (await _store.ReadStreamAsync("a1", id)).Count.ShouldBe(1);
        (await _store.ScalarAsync<string>($"select name from es.stream_heads where stream_id = '{id}'")).ShouldBe("first");
    }

    [Fact]
    public async Task A_queued_append_goes_with_the_next_one_and_commits_with_it()
    {
        var (counter, item) = (Guid.NewGuid(), Guid.NewGuid());
        await using (var session = await _store.OpenSessionAsync())
        {
            await session.AggregateStreamForAppendAsync("a1", item, 0, (n, _) => n + 1, thenLock: [counter]);
            await session.QueueAppendAsync("a1", counter, "counter", ExpectedVersion.NoStream, [new Counted(1)], Alice);
            await using (var sent = new Npgsql.NpgsqlCommand("select count(*) from es.events", session.Connection, session.Transaction))
                ((long)(await sent.ExecuteScalarAsync())!).ShouldBe(0); // queued, not sent
            await session.AppendAndCommitAsync("a1", item, "thing", ExpectedVersion.NoStream, [new Renamed("first")], Alice);
        }

        (await _store.ScalarAsync<string>("select string_agg(stream_id || ':' || version || ':' || chain_position, ',' order by chain_position) from es.events"))
            .ShouldBe($"{counter}:1:1,{item}:1:2");
        (await _store.ScalarAsync<string>($"select name from es.stream_heads where stream_id = '{item}'")).ShouldBe("first");
    }

    [Fact]
    public async Task A_queued_append_that_fails_takes_the_next_append_down_with_it()
    {
        var (counter, item) = (Guid.NewGuid(), Guid.NewGuid());
        await _store.AppendAsync("a1", counter, "counter", ExpectedVersion.NoStream, [new Counted(1)], Alice);
        // A refusal only PostgreSQL can make, as a damaged or tampered row would draw.
        await _store.ScalarAsync<int>("alter table es.events add constraint no_second_count check (data->>'n' is distinct from '2') not valid; select 1");
        await using (var session = await _store.OpenSessionAsync())
        {
            await session.AggregateStreamForAppendAsync("a1", item, 0, (n, _) => n + 1, thenLock: [counter]);
            await session.QueueAppendAsync("a1", counter, "counter", ExpectedVersion.Exactly(1), [new Counted(2)], Alice);
            var error = await Should.ThrowAsync<Npgsql.PostgresException>(() =>
                session.AppendAndCommitAsync("a1", item, "thing", ExpectedVersion.NoStream, [new Renamed("first")], Alice));
            error.ConstraintName.ShouldBe("no_second_count");
        }

        (await _store.ScalarAsync<long>("select count(*) from es.events")).ShouldBe(1);
        (await _store.ScalarAsync<long>($"select count(*) from es.stream_heads where stream_id = '{item}'")).ShouldBe(0);
    }

    [Fact]
    public async Task A_queued_append_at_the_wrong_version_is_refused_before_anything_is_sent()
    {
        var (counter, item) = (Guid.NewGuid(), Guid.NewGuid());
        await _store.AppendAsync("a1", counter, "counter", ExpectedVersion.NoStream, [new Counted(1)], Alice);
        await using (var session = await _store.OpenSessionAsync())
        {
            await session.AggregateStreamForAppendAsync("a1", item, 0, (n, _) => n + 1, thenLock: [counter]);
            var error = await Should.ThrowAsync<ConcurrencyException>(() =>
                session.QueueAppendAsync("a1", counter, "counter", ExpectedVersion.Exactly(5), [new Counted(2)], Alice));
            error.ActualVersion.ShouldBe(1);
        }

        (await _store.ScalarAsync<long>("select count(*) from es.events")).ShouldBe(1);
        (await _store.ReadStreamAsync("a1", counter)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task An_append_is_queued_only_to_a_stream_the_session_holds_locked()
    {
        await using var session = await _store.OpenSessionAsync();
        await session.AggregateStreamForAppendAsync("a1", Guid.NewGuid(), 0, (n, _) => n + 1);

        await Should.ThrowAsync<InvalidOperationException>(() =>
            session.QueueAppendAsync("a1", Guid.NewGuid(), "counter", ExpectedVersion.NoStream, [new Counted(1)], Alice));
    }

    [Fact]
    public async Task Several_appends_in_one_session_commit_together_or_not_at_all()
    {
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        await using (var session = await _store.OpenSessionAsync())
        {
            await session.AppendAsync("a1", a, "thing", ExpectedVersion.NoStream, [new Counted(1)], Alice);
            await session.AppendAsync("a1", b, "thing", ExpectedVersion.NoStream, [new Counted(1)], Alice);
            // disposed without commit
        }
        (await _store.ScalarAsync<long>("select count(*) from es.events")).ShouldBe(0);
    }

    [Fact]
    public async Task Unknown_event_names_are_kept_not_dropped()
    {
        var id = Guid.NewGuid();
        await _store.AppendAsync("a1", id, "thing", ExpectedVersion.NoStream, [new Counted(7)], Alice);
        var other = new EventStore(_store.DataSource, new EventStoreOptions { Schema = "es" });

        var e = (await other.ReadStreamAsync("a1", id)).Single();
        e.Data.ShouldBeOfType<UnknownEvent>().Type.ShouldBe("test.counted.v1");
        e.RawData.GetProperty("n").GetInt32().ShouldBe(7);
    }

    [Fact]
    public async Task Migration_is_idempotent_and_refuses_a_log_restored_from_a_logical_dump()
    {
        await _store.MigrateAsync();
        await _store.AppendAsync("a1", Guid.NewGuid(), "thing", ExpectedVersion.NoStream, [new Counted(1)], Alice);
        await _store.MigrateAsync();

        // What a pg_dump restored into a younger cluster looks like: xids from the future.
        // (A restore bypasses the append-only trigger; replication_role = replica does the same here.)
        await using (var command = _store.DataSource.CreateCommand("set session_replication_role = replica; update es.events set tx = '9000000000'"))
            await command.ExecuteNonQueryAsync();

        var error = await Should.ThrowAsync<InvalidOperationException>(() => _store.MigrateAsync());
        error.Message.ShouldContain("logical dump");
    }
}
