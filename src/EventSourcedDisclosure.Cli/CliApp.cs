using System.CommandLine;
using EventSourcedDisclosure.Cli.Commands;

namespace EventSourcedDisclosure.Cli;

/// <summary>Operator commands (`esd`), on the same configuration as the API.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var root = new RootCommand("EventSourcedDisclosure operator commands")
        {
            SeedDemoCommand.Create(output),
            ProjectionsCommand.Create(output),
            AuditCommand.Create(output),
            AuditCommand.Verify(output, "verify"), // the short form, kept from the first release
            ReportCommand.Create(output),
            ExportImportCommands.Export(output),
            ExportImportCommands.Import(output),
            TokenCommand.Create(output),
        };
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = output });
    }
}

/// <summary>Opens the store for a command, runs it, and turns an operator's mistake into one line and exit code 2.</summary>
internal static class Cli
{
    public static async Task<int> RunAsync(TextWriter output, ParseResult parsed, CancellationToken ct, Func<CliStore, Task<int>> run)
    {
        try
        {
            await using var store = await CliStore.OpenAsync(CliOptions.Configuration(parsed), ct, output);
            return await run(store);
        }
        catch (CliError e)
        {
            await output.WriteLineAsync(e.Message);
            return 2;
        }
        catch (Exception e) when (Find<EventStore.Privacy.PersonalDataKeyMissingException>(e) is { } missing)
        {
            // Thrown inside a rebuild's reader, it reaches here wrapped by the channel it closed.
            await output.WriteLineAsync(missing.Message);
            return 2;
        }
    }

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
            if (e is T found) return found;
        return null;
    }
}
