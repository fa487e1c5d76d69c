using EventSourcedDisclosure.EventStore.Projections;
using Npgsql;
using Shouldly;

namespace EventSourcedDisclosure.EventStore.Tests;

/// <summary>
/// A by-stream rebuild writes fresh tables and swaps them in at commit: the table keeps what an
/// operator gave it, readers are never blocked by the replay, a failure leaves the old rows.
/// </summary>
public sealed class StreamRebuildTests : IAsyncLifetime
{
    /// <summary>Inline: per stream, its events and its last name; the rebuild can be held or failed at its first page.</summary>
    private sealed class StreamTotals : IProjection, IStreamRebuild
    {
        public Func<Task>? AtFirstPage;

        public string Name => "stream_totals";
        public string StreamType => "thing";
        public IReadOnlyList<string>? EventTypes => null;
        public IReadOnlyList<string> Tables => ["stream_totals"];

        public string SchemaSql(string s) => $"""
            create table if not exists {s}.stream_totals (
                tenant_id text not null, id uuid not null, events int not null check (events > 0), last_name text,
                primary key (tenant_id, id));
            create unique index if not exists stream_totals_last_name on {s}.stream_totals (last_name) where last_name is not null;
            create index if not exists stream_totals_by_events on {s}.stream_totals (events desc);
            alter table {s}.stream_totals set (fillfactor = 90);
            alter table {s}.stream_totals alter column last_name set statistics 500;
            comment on table {s}.stream_totals is 'events per stream';
            """;

        public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<StoredEvent> events, CancellationToken ct)
        {
            foreach (var e in events)
            {
                await using var command = context.Command($"""
                    insert into {context.Schema}.stream_totals values ($1, $2, 1, $3)
                    on conflict (tenant_id, id) do update set events = stream_totals.events + 1,
                        last_name = coalesce(excluded.last_name, stream_totals.last_name)
                    """);
                command.Parameters.Add(new() { Value = e.TenantId });
                command.Parameters.Add(new() { Value = e.StreamId });
                command.Parameters.Add(new() { Value = (object?)(e.Data as Renamed)?.Name ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
                await command.ExecuteNonQueryAsync(ct);
            }
        }

        public async Task WriteStreamsAsync(ProjectionContext context, IReadOnlyList<IReadOnlyList<StoredEvent>> streams, CancellationToken ct)
        {
            if (Interlocked.Exchange(ref AtFirstPage, null) is { } hold) await hold();
            await using var command = context.Command(
                $"insert into {context.Table("stream_totals")} select * from unnest($1::text[], $2::uuid[], $3::int[], $4::text[])");
            command.Parameters.Add(new() { Value = streams.Select(s => s[0].TenantId).ToArray() });
            command.Parameters.Add(new() { Value = streams.Select(s => s[0].StreamId).ToArray() });
            command.Parameters.Add(new() { Value = streams.Select(s => s.Count).ToArray() });
            command.Parameters.Add(new() { Value = streams.Select(s => s.Select(e => (e.Data as Renamed)?.Name).LastOrDefault(n => n is not null)).ToArray() });
            await command.ExecuteNonQueryAsync(ct);
        }

        public async Task ResetAsync(ProjectionContext context, CancellationToken ct)
        {
            await using var command = context.Command($"delete from {context.Schema}.stream_totals");
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    // What an operator or a migration may have given the table, as the catalogs tell it.
    private const string TableDescription = """
        select concat_ws(E'\n',
            (select string_agg(pg_get_indexdef(indexrelid), E'\n' order by pg_get_indexdef(indexrelid)) from pg_index where indrelid = 'es.stream_totals'::regclass),
            (select string_agg(conname || ' ' || pg_get_constraintdef(oid), E'\n' order by conname) from pg_constraint where conrelid = 'es.stream_totals'::regclass),
            (select relacl::text || ' ' || array_to_string(reloptions, ',') || ' ' || pg_get_userbyid(relowner) from pg_class where oid = 'es.stream_totals'::regclass),
            (select string_agg(attname || '=' || attstattarget, ',' order by attnum) from pg_attribute where attrelid = 'es.stream_totals'::regclass and attnum > 0),
            obj_description('es.stream_totals'::regclass, 'pg_class'))
        """;

    private const string Rows = "select string_agg(id || ':' || events || ':' || coalesce(last_name, '-'), ',' order by id) from es.stream_totals";

    private readonly StreamTotals _totals = new();
    private Testing.TestDatabase _db = null!;
    private EventStore _store = null!;
    private string _rows = "";

    public async Task InitializeAsync()
    {
        _db = await Testing.TestCluster.CreateDatabaseAsync();
        // Pages of two streams: the five streams make three pages, read by two readers in turn.
        _store = await TestStores.CreateAsync(_db, configure: o => { o.AddProjection(_totals, ProjectionLifecycle.Inline); o.RebuildPageStreams = 2; });
        var reader = $"reader_{Guid.NewGuid():N}";
        await using (var grant = _store.DataSource.CreateCommand($"create role {reader}; grant select on es.stream_totals to {reader}"))
            await grant.ExecuteNonQueryAsync();
        for (var i = 0; i < 5; i++)
            await _store.AppendAsync("t", Guid.NewGuid(), "thing", ExpectedVersion.Any,
                [new Counted(i), new Renamed($"name {i}"), .. Enumerable.Range(0, i).Select(n => (object)new Counted(n))], EventMetadata.System);
        _rows = await _store.ScalarAsync<string>(Rows);
        // Rows the rebuild must repair: it writes from the log, not from what the table holds.
        await using var damage = _store.DataSource.CreateCommand("update es.stream_totals set events = 100 + events, last_name = null");
        await damage.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_rebuilt_table_has_the_old_ones_indexes_constraints_grants_and_settings_and_the_rows_of_the_log()
    {
        var before = await _store.ScalarAsync<string>(TableDescription);
        before.ShouldContain("stream_totals_pkey PRIMARY KEY (tenant_id, id)");
        before.ShouldContain("CREATE UNIQUE INDEX stream_totals_last_name ON es.stream_totals USING btree (last_name) WHERE (last_name IS NOT NULL)");
        before.ShouldContain("=r/");
        before.ShouldContain("fillfactor=90");

        await new ProjectionAdmin(_store).RebuildAsync("stream_totals");

        (await _store.ScalarAsync<string>(TableDescription)).ShouldBe(before);
        (await _store.ScalarAsync<string>(Rows)).ShouldBe(_rows);
        (await _store.ScalarAsync<long>("select count(*) from pg_class where relname like '%\\_\\_rebuild%'")).ShouldBe(0);
    }

    [Fact]
    public async Task Readers_see_the_old_rows_without_waiting_until_the_rebuild_commits()
    {
        var damaged = await _store.ScalarAsync<string>(Rows);
        var held = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        _totals.AtFirstPage = async () => { held.SetResult(); await release.Task; };

        var rebuild = new ProjectionAdmin(_store).RebuildAsync("stream_totals");
        await held.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await using (var connection = await _store.DataSource.OpenConnectionAsync())
        {
            await using (var impatient = new NpgsqlCommand("set lock_timeout = '2s'", connection)) await impatient.ExecuteNonQueryAsync();
            await using var read = new NpgsqlCommand(Rows, connection);
            ((string)(await read.ExecuteScalarAsync())!).ShouldBe(damaged);
        }
        release.SetResult();
        await rebuild;

        (await _store.ScalarAsync<string>(Rows)).ShouldBe(_rows);
    }

    [Fact]
    public async Task A_rebuild_that_fails_leaves_the_table_as_it_was()
    {
        var damaged = await _store.ScalarAsync<string>(Rows);
        var before = await _store.ScalarAsync<string>(TableDescription);
        _totals.AtFirstPage = () => throw new InvalidOperationException("projection failed");

        await Should.ThrowAsync<InvalidOperationException>(() => new ProjectionAdmin(_store).RebuildAsync("stream_totals"));

        (await _store.ScalarAsync<string>(Rows)).ShouldBe(damaged);
        (await _store.ScalarAsync<string>(TableDescription)).ShouldBe(before);
        (await _store.ScalarAsync<long>("select count(*) from pg_class where relname like '%\\_\\_rebuild%'")).ShouldBe(0);
    }

    [Fact]
    public async Task A_rebuild_whose_index_build_fails_after_its_rows_were_committed_leaves_the_table_as_it_was()
    {
        // Two streams of one name while the unique index is away, their names then blanked in the
        // table: the index holds there, but not over the rows the log gives.
        await using (var drop = _store.DataSource.CreateCommand("drop index es.stream_totals_last_name")) await drop.ExecuteNonQueryAsync();
        for (var i = 0; i < 2; i++)
            await _store.AppendAsync("t", Guid.NewGuid(), "thing", ExpectedVersion.Any, [new Renamed("twin")], EventMetadata.System);
        await using (var blank = _store.DataSource.CreateCommand(
            "update es.stream_totals set last_name = null where last_name = 'twin'; " +
            "create unique index stream_totals_last_name on es.stream_totals (last_name) where last_name is not null"))
            await blank.ExecuteNonQueryAsync();
        var rows = await _store.ScalarAsync<string>(Rows);
        var before = await _store.ScalarAsync<string>(TableDescription);

        var failure = await Should.ThrowAsync<PostgresException>(() => new ProjectionAdmin(_store).RebuildAsync("stream_totals"));

        failure.SqlState.ShouldBe(PostgresErrorCodes.UniqueViolation);
        (await _store.ScalarAsync<string>(Rows)).ShouldBe(rows);
        (await _store.ScalarAsync<string>(TableDescription)).ShouldBe(before);
        (await _store.ScalarAsync<long>("select count(*) from pg_class where relname like '%\\_\\_rebuild%'")).ShouldBe(0);
        // Appends wait for nothing once it has failed.
        await _store.AppendAsync("t", Guid.NewGuid(), "thing", ExpectedVersion.Any, [new Counted(1)], EventMetadata.System);
    }

    [Fact]
    public async Task A_copy_left_by_a_rebuild_that_died_is_replaced()
    {
        await using (var left = _store.DataSource.CreateCommand("create table es.stream_totals__rebuild (leftover int); insert into es.stream_totals__rebuild values (1)"))
            await left.ExecuteNonQueryAsync();

        await new ProjectionAdmin(_store).RebuildAsync("stream_totals");

        (await _store.ScalarAsync<string>(Rows)).ShouldBe(_rows);
        (await _store.ScalarAsync<long>("select count(*) from pg_class where relname like '%\\_\\_rebuild%'")).ShouldBe(0);
    }

    [Fact]
    public async Task A_rebuild_whose_swap_fails_leaves_the_table_and_no_copy()
    {
        // A view on the table: the swap's drop refuses, after the copies were committed and indexed.
        await using (var view = _store.DataSource.CreateCommand("create view es.stream_totals_view as select * from es.stream_totals"))
            await view.ExecuteNonQueryAsync();
        var damaged = await _store.ScalarAsync<string>(Rows);

        var failure = await Should.ThrowAsync<PostgresException>(() => new ProjectionAdmin(_store).RebuildAsync("stream_totals"));

        failure.SqlState.ShouldBe(PostgresErrorCodes.DependentObjectsStillExist);
        (await _store.ScalarAsync<string>(Rows)).ShouldBe(damaged);
        (await _store.ScalarAsync<long>("select count(*) from pg_class where relname like '%\\_\\_rebuild%'")).ShouldBe(0);
    }
    [Fact]
    public async Task A_rebuild_outlasts_the_servers_idle_in_transaction_timeout()
    {
        // The rebuild's transaction is idle while the copies are written, as the writer's is while
        // this projection holds its first page: both longer than the server allows an idle transaction.
        await using (var strict = _store.DataSource.CreateCommand(
            "do $$ begin execute format('alter database %I set idle_in_transaction_session_timeout = ''500ms''', current_database()); end $$"))
            await strict.ExecuteNonQueryAsync();
        _store.DataSource.Clear();
        _totals.AtFirstPage = () => Task.Delay(TimeSpan.FromSeconds(2));

        await new ProjectionAdmin(_store).RebuildAsync("stream_totals");

        (await _store.ScalarAsync<string>(Rows)).ShouldBe(_rows);
    }
}
