using System.CommandLine;
using EventSourcedDisclosure.Domain;
using EventSourcedDisclosure.EventStore;
using EventSourcedDisclosure.EventStore.Integrity;
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

        var root = new RootCommand("EventSourcedDisclosure operator commands") { verify };
        return await root.Parse(args).InvokeAsync();
    }
}
