using System.Security.Cryptography;
using Npgsql;

namespace EventSourcedDisclosure.EventStore.Tests;

/// <summary>
/// A session given the heads a previous commit left (<see cref="KnownHeads"/>) appends without
/// reading the stream, and the heads are checked under the locks when it commits: if anything
/// moved meanwhile, nothing of the transaction is written.
/// </summary>
public sealed class KnownHeadsTests : IAsyncLifetime
{
    private static readonly EventMetadata Clerk = new("clerk");
    private Testing.TestDatabase _db = null!;
    private EventStore _store = null!;

    public async Task InitializeAsync()
    {
        _db = await Testing.TestCluster.CreateDatabaseAsync();
        _store = await TestStores.CreateAsync(_db, configure: o =>
        {
            o.PersonalDataKey = RandomNumberGenerator.GetBytes(32);
            o.Events.Register<Registered>("test.registered.v1").Register<Forgotten>("test.forgotten.v1")
                .PersonalData("test.registered.v1", ["person.name", "person.phone"]).ErasesPersonalData("test.forgotten.v1");
        });
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static Registered Person(string name) => new(new Person("naturalPerson", name, "13800138000"), "备注");

    // A first append in a session of its own, and the heads it leaves behind.
    private async Task<KnownHeads> FirstAppendAsync(string tenant, Guid stream, object e)
    {
        await using var session = await _store.OpenSessionAsync();
        await session.LoadForAppendAsync([new AppendTarget(tenant, stream)]);
        await session.QueueAppendAsync(tenant, stream, "thing", ExpectedVersion.NoStream, [e], Clerk);
        await session.CommitQueuedAsync();
        return new KnownHeads(tenant, session.HeldChain(tenant)!.Value, [session.HeldStream(tenant, stream)!], []);
    }

    private Task<long> EventsAsync() => _store.ScalarAsync<long>("select count(*) from es.events");

    [Fact]
    public async Task Known_heads_append_without_a_read_and_extend_the_stream_and_the_chain()
    {
        var id = Guid.NewGuid();
        var known = await FirstAppendAsync("t1", id, Person("王五五"));
        known.Chain.Position.ShouldBe(1);
        known.Streams.Single().ShouldBe(new KnownStream(id, 1, known.Streams.Single().Key));
        known.Streams.Single().Key!.Value.Exists.ShouldBeTrue(); // the key made with the append, remembered

        await using (var session = await _store.OpenSessionAsync())
        {
            (await session.OpenForAppendAsync([new AppendTarget("t1", id) { Known = known }])).ShouldBe([null]);
            // Nothing was sent yet: another connection takes the chain's lock at once (a lock held would time out).
            await using (var other = await _store.OpenSessionAsync())
            {
                await using (var timeout = new NpgsqlCommand("set local lock_timeout = '2s'", other.Connection, other.Transaction))
                    await timeout.ExecuteNonQueryAsync();
                (await other.LoadForAppendAsync([new AppendTarget("t1", Guid.NewGuid())])).Single().ShouldBeEmpty();
            }
            await session.QueueAppendAsync("t1", id, "thing", ExpectedVersion.Exactly(1), [Person("王五五"), new Counted(2)], Clerk);
            await session.CommitQueuedAsync();
            session.HeldChain("t1")!.Value.Position.ShouldBe(3);
        }

        var events = await _store.ReadStreamAsync("t1", id);
        events.Select(e => e.Version).ShouldBe([1L, 2L, 3L]);
        events[1].Data.ShouldBe(Person("王五五")); // sealed with the known key: it opens
        (await _store.ScalarAsync<long>("select count(*) from es.personal_data_keys")).ShouldBe(1);
        (await new Integrity.ChainVerifier(_store).VerifyAsync("t1")).Verified.ShouldBeTrue();
    }

    [Fact]
    public async Task A_chain_that_moved_since_voids_the_commit()
    {
        var id = Guid.NewGuid();
        var known = await FirstAppendAsync("t2", id, new Counted(1));
        await _store.AppendAsync("t2", Guid.NewGuid(), "thing", ExpectedVersion.NoStream, [new Counted(9)], Clerk); // another writer, same agency

        await ShouldBeStaleAsync(known, id, ExpectedVersion.Exactly(1));
        (await EventsAsync()).ShouldBe(2);
        (await new Integrity.ChainVerifier(_store).VerifyAsync("t2")).Verified.ShouldBeTrue();
    }

    [Fact]
    public async Task A_stream_taken_for_new_that_exists_voids_the_commit()
    {
        var id = Guid.NewGuid();
        var known = await FirstAppendAsync("t3", id, new Counted(1));

        await ShouldBeStaleAsync(known with { Streams = [new KnownStream(id, 0, new KeyRow(false, null))] }, id, ExpectedVersion.NoStream);
        (await EventsAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task A_stream_read_beside_that_changed_since_voids_the_commit()
    {
        var (id, agency) = (Guid.NewGuid(), Guid.NewGuid());
        await _store.AppendAsync("t4", agency, "agency", ExpectedVersion.NoStream, [new Counted(1)], Clerk);
        var known = await FirstAppendAsync("t4", id, new Counted(1));
        var stamp = new StreamStamp("t4", agency, 1);

        // Unchanged, the stamp holds.
        await using (var session = await _store.OpenSessionAsync())
        {
            await session.OpenForAppendAsync([new AppendTarget("t4", id) { Known = known with { Stamps = [stamp] } }]);
            await session.QueueAppendAsync("t4", id, "thing", ExpectedVersion.Exactly(1), [new Counted(2)], Clerk);
            await session.CommitQueuedAsync();
            known = known with { Chain = session.HeldChain("t4")!.Value, Streams = [session.HeldStream("t4", id)!] };
        }
        (await EventsAsync()).ShouldBe(3);

        // A stream of another tenant, changed: the decision read it at version 1.
        await _store.AppendAsync("elsewhere", agency, "agency", ExpectedVersion.NoStream, [new Counted(1)], Clerk);
        await ShouldBeStaleAsync(known with { Stamps = [stamp with { Tenant = "elsewhere", Version = 0 }] }, id, ExpectedVersion.Exactly(2));
        (await EventsAsync()).ShouldBe(4);
    }

    [Fact]
    public async Task Known_and_loaded_targets_open_in_one_round_trip_in_tenant_order()
    {
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        var known = await FirstAppendAsync("m1", a, new Counted(1));
        await _store.AppendAsync("m2", b, "thing", ExpectedVersion.NoStream, [new Counted(5)], Clerk);

        await using (var session = await _store.OpenSessionAsync())
        {
            var opened = await session.OpenForAppendAsync([new AppendTarget("m1", a) { Known = known }, new AppendTarget("m2", b)]);
            opened[0].ShouldBeNull();
            opened[1]!.Select(e => e.Data).ShouldBe([new Counted(5)]);
            await session.QueueAppendAsync("m1", a, "thing", ExpectedVersion.Exactly(1), [new Counted(2)], Clerk);
            await session.QueueAppendAsync("m2", b, "thing", ExpectedVersion.Exactly(1), [new Counted(6)], Clerk);
            await session.CommitQueuedAsync();
        }

        (await _store.ScalarAsync<string>(
                $"select string_agg(tenant_id || ':' || version || ':' || chain_position, ',' order by tenant_id, chain_position) from es.events"))
            .ShouldBe("m1:1:1,m1:2:2,m2:1:1,m2:2:2");
    }

    [Fact]
    public async Task A_round_trip_of_the_session_before_its_commit_takes_the_known_heads_locks_first()
    {
        var id = Guid.NewGuid();
        var known = await FirstAppendAsync("t6", id, Person("赵六六"));

        await using (var session = await _store.OpenSessionAsync())
        {
            await session.OpenForAppendAsync([new AppendTarget("t6", id) { Known = known }]);
            // An erasure destroys the key in a statement of its own, before the commit.
            await session.QueueAppendAsync("t6", id, "thing", ExpectedVersion.Exactly(1), [new Forgotten("期满")], Clerk);

            // The checks went first: the chain's lock is held now.
            await using (var other = await _store.OpenSessionAsync())
            {
                await using (var timeout = new NpgsqlCommand("set local lock_timeout = '500ms'", other.Connection, other.Transaction))
                    await timeout.ExecuteNonQueryAsync();
                (await Should.ThrowAsync<PostgresException>(() => other.LoadForAppendAsync([new AppendTarget("t6", Guid.NewGuid())])))
                    .SqlState.ShouldBe(PostgresErrorCodes.LockNotAvailable);
            }
            await session.CommitQueuedAsync();
        }

        var events = await _store.ReadStreamAsync("t6", id);
        events.Select(e => e.Version).ShouldBe([1L, 2L]);
        ((Registered)events[0].Data).Person.Name.ShouldBeNull(); // erased
        (await new Integrity.ChainVerifier(_store).VerifyAsync("t6")).Verified.ShouldBeTrue();
    }

    [Fact]
    public async Task Loading_refuses_targets_with_known_heads()
    {
        var known = new KnownHeads("t5", new ChainHead(0, Integrity.EventHash.Genesis), [], []);
        await using var session = await _store.OpenSessionAsync();

        await Should.ThrowAsync<ArgumentException>(() => session.LoadForAppendAsync([new AppendTarget("t5", Guid.NewGuid()) { Known = known }]));
    }

    private async Task ShouldBeStaleAsync(KnownHeads known, Guid id, ExpectedVersion expected)
    {
        await using var session = await _store.OpenSessionAsync();
        await session.OpenForAppendAsync([new AppendTarget(known.Tenant, id) { Known = known }]);
        await session.QueueAppendAsync(known.Tenant, id, "thing", expected, [new Counted(2)], Clerk);
        (await Should.ThrowAsync<PostgresException>(() => session.CommitQueuedAsync())).SqlState.ShouldBe(KnownHeads.StaleSqlState);
    }
}
