using System.CommandLine;
using EventSourcedDisclosure.Api.Demo;

namespace EventSourcedDisclosure.Cli.Commands;

/// <summary>`esd seed-demo`: the demo year, into an empty store only (it never mixes with real work).</summary>
public static class SeedDemoCommand
{
    public static Command Create(TextWriter output)
    {
        var force = new Option<bool>("--into-non-empty") { Description = "Seed even though the store already holds events" };
        var command = new Command("seed-demo", "Seed a realistic year for three agencies of one county, through the deciders") { force };
        command.WithDatabase().SetAction((parsed, ct) => Cli.RunAsync(output, parsed, ct, async cli =>
        {
            var seeder = new DemoSeeder(cli.Store, cli.Calendars, TimeProvider.System);
            if (!parsed.GetValue(force) && !await seeder.StoreIsEmptyAsync(ct))
                throw new CliError("The store already holds events: the demo goes only into an empty one (--into-non-empty to insist).");
            var summary = await CliProgress.RunAsync(output, "seed-demo", DemoSeeder.DefaultSteps, progress =>
                seeder.SeedAsync(progress: new Relay(progress), ct: ct));
            await output.WriteLineAsync($"seeded {summary.Year}: {string.Join(", ", summary.Agencies)}; {summary.Items} items, {summary.Requests} requests, {summary.Events} events");
            return 0;
        }));
        return command;
    }

    private sealed class Relay(IProgress<long> inner) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => inner.Report(value.Done);
    }
}
