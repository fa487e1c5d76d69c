using EventSourcedDisclosure.Api.Agencies;
using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.Api.Statistics;
using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Reports;
using EventSourcedDisclosure.Reports;
using Npgsql;

namespace EventSourcedDisclosure.Api.Reports;

public sealed record ReportTextBody(string? Overview, string? Problems, string? Other);

/// <summary>The yearly report (政府信息公开工作年度报告), rendered from the statistics and the agency's text.</summary>
public static class AnnualReportEndpoints
{
    public static void MapAnnualReports(this IEndpointRouteBuilder api)
    {
        var reports = api.MapGroup("/agencies/{agency}/annual-reports/{year:int}").WithTags("Annual reports");

        reports.MapPut("/text", (string agency, int year, ReportTextBody b, HttpContext http, CommandPipeline pipeline) =>
            pipeline.ExecuteAsync(http, Stream(agency, year),
                state => AnnualReportTextDecider.Set(new SetAnnualReportText(agency, year, b.Overview, b.Problems, b.Other, http.User.Actor()), state.Text),
                (state, _) => new CommandResponse(state.Text, $"/api/v1/agencies/{agency}/annual-reports/{year}")))
            .WithSummary("The agency's text for sections 一, 五 and 六")
            .RequireRole(Roles.ReportEditor);

        reports.MapPost("/publication", async (string agency, int year, HttpContext http, CommandPipeline pipeline, NpgsqlDataSource db,
            EventStore.EventStore store, TimeProvider clock) =>
        {
            if (await AgencyQueries.FindAsync(db, store.Options.Schema, agency, http.RequestAborted) is null) return Results.NotFound();
            var format = StatisticsReader.FormatOf(null, year);
            var computed = await StatisticsReader.ComputeAsync(db, store.Options.Schema, agency, null, year, format, http.RequestAborted);
            return await pipeline.ExecuteAsync(http, Stream(agency, year),
                state => ReportPublicationRules.Publish(new PublishAnnualReport(agency, year, computed.Tables.Format, computed.Position,
                    ReportPublicationRules.Cells(computed.Contributions), clock.Today(), http.User.Actor()), state),
                (state, _) => new CommandResponse(new { state.Published!.PublishedOn, state.Published.Position, state.Published.Cells },
                    $"/api/v1/agencies/{agency}/annual-reports/{year}"));
        }).WithSummary("Publish the report: its figures are pinned with the log position they were computed at")
            .RequireRole(Roles.ReportEditor);

        reports.MapGet("/", async (string agency, int year, string? format, HttpContext http, NpgsqlDataSource db, EventStore.EventStore store) =>
        {
            var kind = Kind(format, http.Request.Headers.Accept.ToString())
                ?? throw new ValidationFailed(new Dictionary<string, string[]> { ["format"] = ["must be html, md, docx, xlsx or json"] });
            new Validation().Require(year is >= 2019 and <= 2200, "year", "reports under the 2019 regulation start with 2019").ThrowIfAny();
            if (await AnnualReportLoader.LoadAsync(db, store, agency, year, http.RequestAborted) is not var (report, computed, state, restatement))
                return Results.NotFound();
            var file = $"{agency}-{year}-annual-report";
            return AnnualReportLoader.Render(report, kind) switch
            {
                ({ } bytes, var type) when kind is "html" or "md" => Results.Bytes(bytes, type),
                ({ } bytes, var type) => Results.File(bytes, type, $"{file}.{kind}"),
                null => Results.Ok(new
                {
                    title = report.Title, headings = AnnualReport.Headings, text = state.Text, other = report.OtherText,
                    position = computed.Position, tables = computed.Tables,
                    published = state.Published is { } p ? new { p.PublishedOn, p.Position, p.PublishedBy } : null, restatement,
                }),
            };
        }).WithSummary("The report in the national format: ?format=html|md|docx|xlsx|json, or by Accept")
            .RequireRole(Readers.Statistics);
    }

    private static StreamRef<AnnualReportState> Stream(string agency, int year) =>
        new(agency, AnnualReportTextDecider.StreamId(agency, year), "annual-report", AnnualReportState.Initial, AnnualReportState.Evolve);

    private static string? Kind(string? format, string accept) => format switch
    {
        "html" or "md" or "docx" or "xlsx" or "json" => format,
        null when accept.Contains("text/html") => "html",
        null when accept.Contains("text/markdown") => "md",
        null when accept.Contains(AnnualReportLoader.Docx) => "docx",
        null when accept.Contains(AnnualReportLoader.Xlsx) => "xlsx",
        null => "json",
        _ => null,
    };
}
