using EventSourcedDisclosure.Domain.Requests;
using EventSourcedDisclosure.Domain.Statistics;
using EventSourcedDisclosure.Reports;

namespace EventSourcedDisclosure.Reports.Tests;

/// <summary>Reports over a handful of facts: enough for every row to exist and some cells to be non-zero.</summary>
public static class SampleReports
{
    public static AnnualReport For(int year)
    {
        var format = AnnualStatistics.DefaultFormat(year);
        var facts = new StatisticsFacts(
        [
            new("a", Guid.NewGuid(), new DateOnly(year, 3, 3), ApplicantType.NaturalPerson, 1, new DateOnly(year, 3, 20), Outcome.Disclosed, null, 2),
            new("a", Guid.NewGuid(), new DateOnly(year, 4, 3), ApplicantType.Commercial, 3, new DateOnly(year, 4, 20), Outcome.Withheld, "stateSecret", 4),
            new("a", Guid.NewGuid(), new DateOnly(year, 12, 20), ApplicantType.Research, 5, null, null, null, null),
        ], [], []);
        var tables = AnnualTables.Build(AnnualStatistics.Contributions(facts, year, format), year, format);
        return new AnnualReport("隆尧县教育局", year, tables,
            new ReportText("本年度，我局认真贯彻落实《中华人民共和国政府信息公开条例》。", "一是公开内容不够全面。", "无。"), 700m);
    }

    /// <summary>Every label of the template, in order, as the national format prints them.</summary>
    public static IEnumerable<string> TemplateLabels(AnnualReport report) =>
        new[] { AnnualReport.Headings[0] }
            .Concat(report.Grids.SelectMany(g => g.Labels.Prepend(g.Title)))
            .Concat([AnnualReport.Headings[4], AnnualReport.Headings[5]])
            .Where(l => l.Length > 0);
}
