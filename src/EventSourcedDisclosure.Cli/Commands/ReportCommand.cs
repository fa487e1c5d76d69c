using System.CommandLine;
using EventSourcedDisclosure.Api.Reports;
using EventSourcedDisclosure.EventStore.Projections;

namespace EventSourcedDisclosure.Cli.Commands;

/// <summary>`esd report AGENCY YEAR --format html|md|docx|xlsx --out FILE`: the yearly report without the web UI.</summary>
public static class ReportCommand
{
    public static Command Create(TextWriter output)
    {
        var agency = new Argument<string>("agency") { Description = "The agency code" };
        var year = new Argument<int>("year") { Description = "The report's year" };
        var format = new Option<string>("--format") { Description = "html, md, docx or xlsx", DefaultValueFactory = _ => "docx" };
        format.AcceptOnlyFromAmong("html", "md", "docx", "xlsx");
        var file = new Option<string>("--out") { Description = "The file to write", Required = true };
        var command = new Command("report", "Write an agency's yearly report (政府信息公开工作年度报告) to a file") { agency, year, format, file };
        command.WithDatabase().SetAction((parsed, ct) => Cli.RunAsync(output, parsed, ct, async cli =>
        {
            // The statistics are an async projection: catch it up first, so the file reflects the whole log.
            await new ProjectionAdmin(cli.Store).CatchUpAsync("statistics", ct: ct);
            var loaded = await AnnualReportLoader.LoadAsync(cli.DataSource, cli.Store, parsed.GetValue(agency)!, parsed.GetValue(year), ct)
                ?? throw new CliError($"No agency '{parsed.GetValue(agency)}'.");
            var (content, _) = AnnualReportLoader.Render(loaded.Report, parsed.GetValue(format)!)!.Value;
            var path = Path.GetFullPath(parsed.GetValue(file)!);
            await File.WriteAllBytesAsync(path, content, ct);
            await output.WriteLineAsync($"wrote {path} ({content.Length} bytes, log position {loaded.Computed.Position})");
            return 0;
        }));
        return command;
    }
}
