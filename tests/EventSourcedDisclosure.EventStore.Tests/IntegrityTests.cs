using EventSourcedDisclosure.EventStore.Integrity;
using Npgsql;

namespace EventSourcedDisclosure.EventStore.Tests;

/// <summary>The hash chain catches what a superuser with SQL can do to the log.</summary>
public sealed class IntegrityTests : IAsyncLifetime
{
    private Testing.TestDatabase _db = null!;
    private EventStore _store = null!;
    private ChainVerifier _verifier = null!;

    public async Task InitializeAsync()
    {
        _db = await Testing.TestCluster.CreateDatabaseAsync();
        _store = await TestStores.CreateAsync(_db);
        _verifier = new ChainVerifier(_store);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<List<long>> AppendSomeAsync(string tenant, int streams = 5, int eventsEach = 4)
    {
        var sequences = new List<long>();
        for (var s = 0; s < streams; s++)
        {
            var id = Guid.NewGuid();
            for (var e = 0; e < eventsEach; e++)
                sequences.AddRange((await _store.AppendAsync(tenant, id, "thing", ExpectedVersion.Any,
                    [new Counted(e), new Renamed($"名称 {e} \"quoted\" \\ {s}")], new EventMetadata("alice", $"corr-{s}"))).Sequences);
        }
        return sequences;
    }

    // What an intruder with superuser rights does: switch the append-only trigger off and edit.
    private async Task SuperuserAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_db.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"set session_replication_role = replica; {sql}", connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task One_changed_byte_is_reported_at_its_sequence_and_restoring_it_verifies_again()
    {
        var sequences = await AppendSomeAsync("a1");
        (await _verifier.VerifyAsync("a1")).ShouldBe(new ChainVerification(true, sequences.Count, null, null, null));

        var victim = sequences[17];
        var original = await _store.ScalarAsync<string>($"select data::text from es.events where seq = {victim}");
        var tampered = original.Replace("名称", "名稱"); // one character, three bytes in UTF-8
        tampered.ShouldNotBe(original);
        await SuperuserAsync($"update es.events set data = '{tampered.Replace("'", "''")}'::jsonb where seq = {victim}");
        var broken = await _verifier.VerifyAsync("a1");
        broken.Verified.ShouldBeFalse();
        broken.FirstBrokenSequence.ShouldBe(victim);

        await SuperuserAsync($"update es.events set data = '{original.Replace("'", "''")}'::jsonb where seq = {victim}");
        (await _verifier.VerifyAsync("a1")).Verified.ShouldBeTrue();
    }

    [Fact]
    public async Task A_deleted_event_is_reported_as_a_gap()
    {
        var sequences = await AppendSomeAsync("a1");
        await SuperuserAsync($"delete from es.events where seq = {sequences[9]}");
        var broken = await _verifier.VerifyAsync("a1");
        broken.Verified.ShouldBeFalse();
        broken.FirstBrokenSequence.ShouldBe(sequences[10]);
        broken.Problem!.ShouldContain("gap");
    }

    [Fact]
    public async Task Metadata_is_covered_too()
    {
        var sequences = await AppendSomeAsync("a1", streams: 1);
        await SuperuserAsync($"update es.events set metadata = jsonb_set(metadata, '{{actor}}', '\"mallory\"') where seq = {sequences[3]}");
        (await _verifier.VerifyAsync("a1")).FirstBrokenSequence.ShouldBe(sequences[3]);
    }

    [Fact]
    public async Task The_application_cannot_update_or_delete_events_even_as_their_owner()
    {
        var sequences = await AppendSomeAsync("a1", streams: 1);
        var update = await Should.ThrowAsync<PostgresException>(async () =>
        {
            await using var command = _store.DataSource.CreateCommand($"update es.events set type = 'x' where seq = {sequences[0]}");
            await command.ExecuteNonQueryAsync();
        });
        update.SqlState.ShouldBe("ES403");
        var delete = await Should.ThrowAsync<PostgresException>(async () =>
        {
            await using var command = _store.DataSource.CreateCommand("delete from es.events");
            await command.ExecuteNonQueryAsync();
        });
        delete.SqlState.ShouldBe("ES403");
        (await _verifier.VerifyAsync("a1")).Verified.ShouldBeTrue();
    }

    [Fact]
    public async Task Sixteen_concurrent_writers_across_four_agencies_leave_four_verifying_chains()
    {
        string[] agencies = ["g1", "g2", "g3", "g4"];
        await Task.WhenAll(Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
        {
            var tenant = agencies[w % 4];
            for (var i = 0; i < 25; i++)
            {
                var id = Guid.NewGuid();
                await _store.AppendAsync(tenant, id, "thing", ExpectedVersion.NoStream, [new Counted(i), new Counted(i + 1)], new EventMetadata($"writer-{w}"));
            }
        })));
        foreach (var tenant in agencies)
        {
            var verified = await _verifier.VerifyAsync(tenant);
            verified.Verified.ShouldBeTrue(verified.Problem);
            verified.Events.ShouldBe(4 * 25 * 2);
        }
    }
}

public sealed class AppRoleTests : IAsyncLifetime
{
    private Testing.TestDatabase _db = null!;
    private EventStore _store = null!;

    public async Task InitializeAsync()
    {
        _db = await Testing.TestCluster.CreateDatabaseAsync();
        _store = await TestStores.CreateAsync(_db);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task The_application_role_may_append_but_gets_a_permission_error_on_update_or_delete()
    {
        var login = "app_" + Guid.NewGuid().ToString("N")[..8];
        await using (var admin = _store.DataSource.CreateCommand($"create role {login} login password 'x' in role es_app"))
            await admin.ExecuteNonQueryAsync();
        try
        {
            var asApp = new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Username = login, Password = "x", Pooling = false }.ConnectionString;
            await using var appSource = NpgsqlDataSource.Create(asApp);
            var appStore = new EventStore(appSource, _store.Options);
            var appended = await appStore.AppendAsync("a1", Guid.NewGuid(), "thing", ExpectedVersion.NoStream, [new Counted(1)], new EventMetadata("app"));

            foreach (var sql in new[] { $"update es.events set type = 'x' where seq = {appended.Sequences[0]}", "delete from es.events", "truncate es.events" })
            {
                var error = await Should.ThrowAsync<PostgresException>(async () =>
                {
                    await using var command = appSource.CreateCommand(sql);
                    await command.ExecuteNonQueryAsync();
                });
                error.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege, sql);
            }
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await using var drop = _store.DataSource.CreateCommand($"drop owned by {login}; drop role {login}");
            await drop.ExecuteNonQueryAsync();
        }
    }
}
