using System.Security.Cryptography;
using EventSourcedDisclosure.EventStore.Integrity;
using EventSourcedDisclosure.EventStore.Privacy;

namespace EventSourcedDisclosure.EventStore.Tests;

public sealed record Person(string Kind, string? Name, string? Phone);
public sealed record Registered(Person Person, string Note);
public sealed record Forgotten(string Why);

/// <summary>Crypto-shredding: personal fields are sealed in the log, readable with their key, gone without it; the chain holds.</summary>
public sealed class PersonalDataTests : IAsyncLifetime
{
    private static readonly byte[] Kek = RandomNumberGenerator.GetBytes(32);
    private Testing.TestDatabase _db = null!;
    private EventStore _store = null!;

    public async Task InitializeAsync()
    {
        _db = await Testing.TestCluster.CreateDatabaseAsync();
        _store = await StoreAsync(Kek);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private Task<EventStore> StoreAsync(byte[] kek) => TestStores.CreateAsync(_db, configure: o =>
    {
        o.PersonalDataKey = kek;
        o.Events.Register<Registered>("test.registered.v1").Register<Forgotten>("test.forgotten.v1")
            .PersonalData("test.registered.v1", ["person.name", "person.phone"]).ErasesPersonalData("test.forgotten.v1");
    });

    private async Task<Guid> RegisterAsync(string tenant, string name)
    {
        var id = Guid.NewGuid();
        await _store.AppendAsync(tenant, id, "person", ExpectedVersion.NoStream,
            [new Registered(new Person("naturalPerson", name, "13800138000"), "公开备注")], new EventMetadata("clerk"));
        return id;
    }

    [Fact]
    public async Task Personal_fields_are_stored_sealed_and_read_back_in_the_clear()
    {
        var id = await RegisterAsync("a", "王五五");

        var stored = await _store.ScalarAsync<string>($"select data::text from es.events where stream_id = '{id}'");
        stored.ShouldNotContain("王五五");
        stored.ShouldNotContain("13800138000");
        stored.ShouldContain("naturalPerson"); // what is not personal stays searchable and countable
        stored.ShouldContain("公开备注");

        var read = (await _store.ReadStreamAsync("a", id)).Single();
        read.Data.ShouldBe(new Registered(new Person("naturalPerson", "王五五", "13800138000"), "公开备注"));
        read.RawData.GetRawText().ShouldNotContain("王五五");
    }

    [Fact]
    public async Task Erasure_destroys_the_key_the_events_stay_and_the_chain_still_verifies()
    {
        var erased = await RegisterAsync("b", "赵六六");
        var kept = await RegisterAsync("b", "钱七七");
        var before = await _store.ScalarAsync<string>($"select data::text from es.events where stream_id = '{erased}'");

        await _store.AppendAsync("b", erased, "person", ExpectedVersion.Exactly(1), [new Forgotten("保管期限届满")], new EventMetadata("admin"));

        var events = await _store.ReadStreamAsync("b", erased);
        events.Count.ShouldBe(2);
        events[0].Data.ShouldBe(new Registered(new Person("naturalPerson", null, null), "公开备注"));
        (await _store.ScalarAsync<string>($"select data::text from es.events where stream_id = '{erased}' and version = 1")).ShouldBe(before);
        (await _store.ScalarAsync<long>($"select count(*) from es.personal_data_keys where subject_id = '{erased}' and wrapped_key is null")).ShouldBe(1);
        ((Registered)(await _store.ReadStreamAsync("b", kept)).Single().Data).Person.Name.ShouldBe("钱七七");
        (await new ChainVerifier(_store).VerifyAsync("b")).Verified.ShouldBeTrue();
    }

    [Fact]
    public async Task No_personal_data_is_recorded_again_for_an_erased_subject_and_nothing_is_appended()
    {
        var id = await RegisterAsync("c", "孙八八");
        await _store.AppendAsync("c", id, "person", ExpectedVersion.Any, [new Forgotten("保管期限届满")], new EventMetadata("admin"));

        await Should.ThrowAsync<PersonalDataErasedException>(() => _store.AppendAsync("c", id, "person", ExpectedVersion.Any,
            [new Registered(new Person("naturalPerson", "孙八八", null), "again")], new EventMetadata("clerk")));
        (await _store.ReadStreamAsync("c", id)).Count.ShouldBe(2);
    }

    // As a command appends: the stream read under its lock (with its key row), then the append and commit.
    private async Task AppendUnderLockAsync(string tenant, Guid id, object e)
    {
        await using var session = await _store.OpenSessionAsync();
        var (_, version) = await session.AggregateStreamForAppendAsync(tenant, id, 0, (n, _) => n + 1);
        await session.AppendAndCommitAsync(tenant, id, "person", version == 0 ? ExpectedVersion.NoStream : ExpectedVersion.Exactly(version),
            [e], new EventMetadata("clerk"));
    }

    [Fact]
    public async Task Under_the_streams_lock_a_key_is_made_with_the_append_and_opened_from_the_read_after()
    {
        var id = Guid.NewGuid();
        await AppendUnderLockAsync("g", id, new Registered(new Person("naturalPerson", "郑一一", "13900139000"), "首次"));
        await AppendUnderLockAsync("g", id, new Registered(new Person("naturalPerson", "郑一一", "13700137000"), "再次"));

        (await _store.ScalarAsync<long>($"select count(*) from es.personal_data_keys where subject_id = '{id}' and wrapped_key is not null")).ShouldBe(1);
        (await _store.ScalarAsync<string>($"select string_agg(data::text, '') from es.events where stream_id = '{id}'")).ShouldNotContain("郑一一");
        (await _store.ReadStreamAsync("g", id)).Select(e => ((Registered)e.Data).Person.Phone).ShouldBe(["13900139000", "13700137000"]);
    }

    [Fact]
    public async Task Under_the_streams_lock_an_erased_subject_gets_no_personal_data_and_nothing_is_appended()
    {
        var id = await RegisterAsync("h", "冯二二");
        await AppendUnderLockAsync("h", id, new Forgotten("保管期限届满"));

        await Should.ThrowAsync<PersonalDataErasedException>(() =>
            AppendUnderLockAsync("h", id, new Registered(new Person("naturalPerson", "冯二二", null), "again")));
        (await _store.ReadStreamAsync("h", id)).Count.ShouldBe(2);
        (await _store.ScalarAsync<long>($"select count(*) from es.personal_data_keys where subject_id = '{id}' and wrapped_key is null")).ShouldBe(1);
    }

    [Fact]
    public async Task A_blob_copied_into_another_stream_does_not_open()
    {
        var id = await RegisterAsync("d", "周九九");
        var stored = await _store.ScalarAsync<string>($"select data::text from es.events where stream_id = '{id}'");
        var other = Guid.NewGuid();
        Should.Throw<CryptographicException>(() =>
            PersonalDataSealer.Unseal(stored, new PersonalFields(["person.name", "person.phone"]), RandomNumberGenerator.GetBytes(32), "d", other));
    }

    [Fact]
    public async Task A_node_with_another_key_encryption_key_refuses_to_start()
    {
        await RegisterAsync("e", "吴十十");
        var error = await Should.ThrowAsync<InvalidOperationException>(() => StoreAsync(RandomNumberGenerator.GetBytes(32)));
        error.Message.ShouldContain("another key-encryption key");
        await StoreAsync(Kek); // the deployment's own key still starts
    }

    [Fact]
    public async Task Keys_move_with_a_copy_and_an_erasure_in_either_copy_wins()
    {
        var alive = await RegisterAsync("f", "郑一一");
        var gone = await RegisterAsync("f", "王二二");
        await _store.AppendAsync("f", gone, "person", ExpectedVersion.Any, [new Forgotten("保管期限届满")], new EventMetadata("admin"));

        await using var target = await Testing.TestCluster.CreateDatabaseAsync();
        var copy = await TestStores.CreateAsync(target, configure: o =>
        {
            o.PersonalDataKey = Kek;
            o.Events.Register<Registered>("test.registered.v1").Register<Forgotten>("test.forgotten.v1")
                .PersonalData("test.registered.v1", ["person.name", "person.phone"]).ErasesPersonalData("test.forgotten.v1");
        });
        using var events = new MemoryStream();
        using var keys = new MemoryStream();
        await new LogExport(_store).ExportAsync(events, "f", null, null);
        (await new KeyExport(_store).ExportAsync(keys)).ShouldBe(2);
        events.Position = keys.Position = 0;
        await new LogExport(copy).ImportAsync(events);
        await new KeyExport(copy).ImportAsync(keys);

        ((Registered)(await copy.ReadStreamAsync("f", alive)).Single().Data).Person.Name.ShouldBe("郑一一");
        ((Registered)(await copy.ReadStreamAsync("f", gone))[0].Data).Person.Name.ShouldBeNull();
        (await new ChainVerifier(copy).VerifyAsync("f")).Verified.ShouldBeTrue();
    }
}
