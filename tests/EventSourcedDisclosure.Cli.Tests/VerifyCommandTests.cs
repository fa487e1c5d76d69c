using EventSourcedDisclosure.Cli;
using EventSourcedDisclosure.Domain;
using EventSourcedDisclosure.Domain.Agencies;
using EventSourcedDisclosure.EventStore;
using EventSourcedDisclosure.Testing;
using Npgsql;

namespace EventSourcedDisclosure.Cli.Tests;

public sealed class VerifyCommandTests
{
    [Fact]
    public async Task Verify_reports_a_sound_chain_then_the_sequence_a_superuser_changed()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        var options = new EventStoreOptions();
        foreach (var (name, type) in DomainEvents.All) options.Events.Register(type, name);
        await using var source = db.CreateDataSource();
        var store = new EventStore.EventStore(source, options);
        await store.MigrateAsync();
        var now = DateTimeOffset.UtcNow;
        var sequences = new List<long>();
        foreach (var name in new[] { "甲局", "乙局", "丙局" })
            sequences.AddRange((await store.AppendAsync("cli", AgencyDecider.StreamId("cli"), "agency", ExpectedVersion.Any,
                [new AgencyDetailsChanged("cli", name, "130525", "cli", AgencyDecider.DefaultIndexTemplate, AgencyDecider.DefaultCategories, 12, now)],
                new EventMetadata("operator"))).Sequences);

        var output = new StringWriter();
        (await CliApp.RunAsync(["verify", "--connection", db.ConnectionString, "--agency", "cli"], output)).ShouldBe(0);
        output.ToString().ShouldContain("verified: 3 events");

        await using (var connection = new NpgsqlConnection(db.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                $"set session_replication_role = replica; update disclosure.events set data = jsonb_set(data, '{{name}}', '\"丁局\"') where seq = {sequences[1]}", connection);
            await command.ExecuteNonQueryAsync();
        }
        output = new StringWriter();
        (await CliApp.RunAsync(["verify", "--connection", db.ConnectionString, "--agency", "cli"], output)).ShouldBe(1);
        output.ToString().ShouldContain($"BROKEN at sequence {sequences[1]}");
    }

    [Fact]
    public async Task Without_a_database_it_says_so_and_exits_2()
    {
        var output = new StringWriter();
        Environment.SetEnvironmentVariable("DISCLOSURE_CONNECTION", null);
        (await CliApp.RunAsync(["verify", "--agency", "x"], output)).ShouldBe(2);
        output.ToString().ShouldContain("--connection");
    }
}
