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

public sealed class TokenCommandTests
{
    [Fact]
    public async Task Token_mints_what_the_api_accepts_from_the_data_folders_key()
    {
        var folder = Directory.CreateTempSubdirectory("esd-cli-").FullName;
        try
        {
            var output = new StringWriter();
            (await CliApp.RunAsync(["token", "--subject", "wang.fang", "--role", "lyxjyj:drafter", "--role", "*:auditor", "--data-dir", folder], output)).ShouldBe(0);
            var jwt = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(output.ToString().Trim());
            jwt.Subject.ShouldBe("wang.fang");
            jwt.Claims.Where(c => c.Type == "roles").Select(c => c.Value).ShouldBe(["lyxjyj:drafter", "*:auditor"]);
            jwt.Issuer.ShouldBe("disclosure");

            // Signed with the key the API would read from the same folder.
            var key = Convert.FromBase64String(File.ReadAllText(Path.Combine(folder, "signing-key")).Trim());
            var validation = await new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().ValidateTokenAsync(output.ToString().Trim(),
                new Microsoft.IdentityModel.Tokens.TokenValidationParameters
                {
                    ValidIssuer = "disclosure", ValidAudience = "disclosure-api",
                    IssuerSigningKey = new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(key),
                });
            validation.IsValid.ShouldBeTrue();

            (await CliApp.RunAsync(["token", "--subject", "x", "--role", "lyxjyj:superuser", "--data-dir", folder], new StringWriter())).ShouldBe(2);
        }
        finally { Directory.Delete(folder, true); }
    }
}
