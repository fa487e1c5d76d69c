using System.CommandLine;
using EventSourcedDisclosure.EventStore.Projections;

namespace EventSourcedDisclosure.Cli.Commands;

/// <summary>`esd projections list|status|rebuild NAME`.</summary>
public static class ProjectionsCommand
{
    public static Command Create(TextWriter output)
    {
        var list = new Command("list", "The projections, inline or async");
        list.WithDatabase().SetAction((parsed, ct) => Cli.RunAsync(output, parsed, ct, async cli =>
        {
            foreach (var p in cli.Store.Options.Projections)
                await output.WriteLineAsync($"{p.Projection.Name}\t{p.Lifecycle.ToString().ToLowerInvariant()}");
            return 0;
        }));

        var status = new Command("status", "Where each async projection stands: position, events pending, lag");
        status.WithDatabase().SetAction((parsed, ct) => Cli.RunAsync(output, parsed, ct, async cli =>
        {
            foreach (var s in await new ProjectionAdmin(cli.Store).StatusAsync(ct))
                await output.WriteLineAsync(s.Lifecycle == ProjectionLifecycle.Inline
                    ? $"{s.Name}\tinline\tcurrent (written with every append)"
                    : $"{s.Name}\tasync\tat {s.Position}\t{s.PendingEvents} pending\tlag {s.Lag.TotalSeconds:0.0} s");
            return 0;
        }));

        var name = new Argument<string>("name") { Description = "The projection to drop and replay from the log" };
        var rebuild = new Command("rebuild", "Empty a projection and replay the whole log into it") { name };
        rebuild.WithDatabase().SetAction((parsed, ct) => Cli.RunAsync(output, parsed, ct, async cli =>
        {
            var projection = parsed.GetValue(name)!;
            if (cli.Store.Options.Projections.All(p => p.Projection.Name != projection))
                throw new CliError($"No projection '{projection}'. Projections: {string.Join(", ", cli.Store.Options.Projections.Select(p => p.Projection.Name))}.");
            var total = await EventCountAsync(cli, ct);
            var started = DateTime.UtcNow;
            await CliProgress.RunAsync(output, $"rebuild {projection}", total, async progress =>
            {
                await new ProjectionAdmin(cli.Store).RebuildAsync(projection, progress, ct);
                return 0;
            });
            await output.WriteLineAsync($"rebuilt {projection} from {total} events in {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
            return 0;
        }));

        return new Command("projections", "List, inspect and rebuild read models") { list, status, rebuild };
    }

    private static async Task<long> EventCountAsync(CliStore cli, CancellationToken ct)
    {
        await using var command = cli.DataSource.CreateCommand($"select count(*) from {cli.Store.Options.Schema}.events");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
