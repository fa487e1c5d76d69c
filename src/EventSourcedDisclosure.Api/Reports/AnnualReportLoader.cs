using EventSourcedDisclosure.Api.Agencies;
using EventSourcedDisclosure.Api.Statistics;
using EventSourcedDisclosure.Domain.Reports;
using EventSourcedDisclosure.Reports;
using Npgsql;

namespace EventSourcedDisclosure.Api.Reports;

/// <summary>An agency's yearly report as the statistics and its text give it now, with its publication and restatement.</summary>
public sealed record LoadedReport(AnnualReport Report, ComputedTables Computed, AnnualReportState State, IReadOnlyList<RestatedCell>? Restatement);

/// <summary>Loads the report for the HTTP endpoint and for `esd report` alike.</summary>
public static class AnnualReportLoader
{
    public const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>Null when the agency is unknown.</summary>
    public static async Task<LoadedReport?> LoadAsync(NpgsqlDataSource db, EventStore.EventStore store, string agency, int year, CancellationToken ct)
    {
        var s = store.Options.Schema;
        if (await AgencyQueries.FindAsync(db, s, agency, ct) is not { } found) return null;
        var computed = await StatisticsReader.ComputeAsync(db, s, agency, null, year, StatisticsReader.FormatOf(null, year), ct);
        var (state, _) = await store.AggregateStreamAsync(agency, AnnualReportTextDecider.StreamId(agency, year),
            AnnualReportState.Initial, AnnualReportState.Evolve, ct: ct);
        var text = state.Text;
        var restatement = state.Published is { } published ? ReportPublicationRules.Restatement(published, computed.Contributions) : null;
        var report = new AnnualReport(found.Name, year, computed.Tables, new ReportText(text.Overview, text.Problems, text.Other),
            await StatisticsReader.FeesCollectedAsync(db, s, agency, year, ct));
        return new LoadedReport(report, computed, state, restatement);
    }

    /// <summary>The document files: html, md, docx, xlsx; null for another format.</summary>
    public static (byte[] Content, string ContentType)? Render(AnnualReport report, string format) => format switch
    {
        "html" => (System.Text.Encoding.UTF8.GetBytes(HtmlRenderer.Render(report)), "text/html; charset=utf-8"),
        "md" => (System.Text.Encoding.UTF8.GetBytes(MarkdownRenderer.Render(report)), "text/markdown; charset=utf-8"),
        "docx" => (DocxRenderer.Render(report), Docx),
        "xlsx" => (XlsxRenderer.Render(report), Xlsx),
        _ => null,
    };
}
