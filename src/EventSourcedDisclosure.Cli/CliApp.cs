using System.CommandLine;
using EventSourcedDisclosure.Domain;
using EventSourcedDisclosure.EventStore;
using EventSourcedDisclosure.EventStore.Integrity;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace EventSourcedDisclosure.Cli;

/// <summary>Operator commands. Today: verify an agency's hash chain straight from the database.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var connection = new Option<string?>("--connection") { Description = "PostgreSQL connection string (default: DISCLOSURE_CONNECTION)" };
        var schema = new Option<string>("--schema") { Description = "The store's schema", DefaultValueFactory = _ => "disclosure" };
        var agency = new Option<string>("--agency") { Description = "The agency (tenant) whose chain to recompute", Required = true };

        var verify = new Command("verify", "Recompute an agency's hash chain; exit 1 at the first broken event") { connection, schema, agency };
        verify.SetAction(async (parsed, ct) =>
        {
            var connectionString = parsed.GetValue(connection) ?? Environment.GetEnvironmentVariable("DISCLOSURE_CONNECTION");
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                await output.WriteLineAsync("No database: pass --connection or set DISCLOSURE_CONNECTION.");
                return 2;
            }
            var options = new EventStoreOptions { Schema = parsed.GetValue(schema)! };
            foreach (var (name, type) in DomainEvents.All) options.Events.Register(type, name);
            await using var source = NpgsqlDataSource.Create(connectionString);
            var result = await new ChainVerifier(new EventStore.EventStore(source, options)).VerifyAsync(parsed.GetValue(agency)!, ct);
            await output.WriteLineAsync(result.Verified
                ? $"verified: {result.Events} events"
                : $"BROKEN at sequence {result.FirstBrokenSequence} (chain position {result.FirstBrokenPosition}): {result.Problem}");
            return result.Verified ? 0 : 1;
        });

        var subject = new Option<string>("--subject") { Description = "The user id (sub): the actor of every event", Required = true };
        var name = new Option<string?>("--name") { Description = "Display name (defaults to the subject)" };
        var role = new Option<string[]>("--role") { Description = "\"{agency}:{role}\", repeatable; {agency} may be *", AllowMultipleArgumentsPerToken = true };
        var hours = new Option<int>("--hours") { Description = "Lifetime in hours", DefaultValueFactory = _ => 8 };
        var dataDir = new Option<string?>("--data-dir") { Description = "The API's data folder holding the generated signing key (default: DISCLOSURE_DATA_DIR or .data)" };
        var token = new Command("token", "Mint a bearer token with the API's HS256 key, for Swagger UI's Authorize or scripts")
            { subject, name, role, hours, dataDir };
        token.SetAction(async (parsed, _) =>
        {
            var settings = new Dictionary<string, string?>();
            if (parsed.GetValue(dataDir) is { } folder) settings["DataDirectory"] = folder;
            var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            var key = Api.Hosting.SigningKey.Resolve(config);
            var roles = parsed.GetValue(role) ?? [];
            var bad = roles.Where(r => r.Split(':') is not [{ Length: > 0 }, var rn] || !Api.Hosting.Roles.All.Contains(rn)).ToList();
            if (bad.Count > 0)
            {
                await output.WriteLineAsync($"Unknown role(s): {string.Join(", ", bad)}. Roles: {string.Join(", ", Api.Hosting.Roles.All)}.");
                return 2;
            }
            await output.WriteLineAsync(Api.Hosting.TokenIssuer.Mint(key, parsed.GetValue(subject)!, parsed.GetValue(name) ?? parsed.GetValue(subject)!,
                roles, TimeSpan.FromHours(parsed.GetValue(hours))));
            return 0;
        });

        var root = new RootCommand("EventSourcedDisclosure operator commands") { verify, token };
        return await root.Parse(args).InvokeAsync();
    }
}
