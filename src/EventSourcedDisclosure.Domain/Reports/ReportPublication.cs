using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Statistics;

namespace EventSourcedDisclosure.Domain.Reports;

/// <summary>A report as published: its figures, and the log position they were computed at.</summary>
public sealed record AnnualReportPublished(
    string Agency, int Year, string Format, long Position, IReadOnlyDictionary<string, decimal> Cells, DateOnly PublishedOn, string PublishedBy);

public sealed record PublishAnnualReport(string Agency, int Year, string Format, long Position, IReadOnlyDictionary<string, decimal> Cells,
    DateOnly Today, string Actor);

/// <summary>The report stream: the agency's text and every publication (a correction is a later publication).</summary>
public sealed record AnnualReportState(AnnualReportText Text, AnnualReportPublished? Published)
{
    public static readonly AnnualReportState Initial = new(AnnualReportText.Empty, null);

    public static AnnualReportState Evolve(AnnualReportState state, object e) => e switch
    {
        AnnualReportTextSet => state with { Text = AnnualReportTextDecider.Evolve(state.Text, e) },
        AnnualReportPublished p => state with { Published = p },
        _ => state,
    };
}

/// <summary>A cell whose figure differs from the published one, with the events recorded since that changed it.</summary>
public sealed record RestatedCell(string Cell, decimal Published, decimal Current, IReadOnlyList<FactSource> Events);

public static class ReportPublicationRules
{
    public const string ReportAfterYearEnd = "report-after-year-end";

    public static IReadOnlyList<object> Publish(PublishAnnualReport c, AnnualReportState state)
    {
        if (c.Today <= new DateOnly(c.Year, 12, 31))
            throw new RuleViolation(ReportAfterYearEnd, $"Figures are as at 31 December {c.Year}: the report is published after the year ends.");
        return [new AnnualReportPublished(c.Agency, c.Year, c.Format, c.Position, c.Cells, c.Today, c.Actor)];
    }

    /// <summary>The figures of the year now, cell by cell.</summary>
    public static IReadOnlyDictionary<string, decimal> Cells(IEnumerable<CellContribution> contributions) =>
        contributions.GroupBy(c => c.Cell).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(c => c.Value));

    /// <summary>
    /// What changed since publication: cells whose figure moved, and the events behind them that
    /// the log recorded after the published position (events dated in the year, recorded later).
    /// </summary>
    public static IReadOnlyList<RestatedCell> Restatement(AnnualReportPublished published, IReadOnlyList<CellContribution> now)
    {
        var current = Cells(now);
        return published.Cells.Keys.Union(current.Keys).Order(StringComparer.Ordinal)
            .Select(cell => (cell, was: published.Cells.GetValueOrDefault(cell), @is: current.GetValueOrDefault(cell)))
            .Where(x => x.was != x.@is)
            .Select(x => new RestatedCell(x.cell, x.was, x.@is,
                now.Where(c => c.Cell == x.cell && c.Source.Sequence > published.Position).Select(c => c.Source).ToList()))
            .ToList();
    }
}
