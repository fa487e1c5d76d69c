using EventSourcedDisclosure.Domain.Common;

namespace EventSourcedDisclosure.Domain.Reports;

/// <summary>The agency's own words for sections 一 (总体情况), 五 (存在的主要问题及改进情况) and 六 (其他需要报告的事项).</summary>
public sealed record AnnualReportTextSet(string Agency, int Year, string Overview, string Problems, string Other, string SetBy);

public sealed record SetAnnualReportText(string Agency, int Year, string? Overview, string? Problems, string? Other, string Actor);

public sealed record AnnualReportText(string Overview, string Problems, string Other)
{
    public static readonly AnnualReportText Empty = new("", "", "");
}

public static class AnnualReportTextDecider
{
    public static Guid StreamId(string agency, int year) => DeterministicId.For("annual-report", $"{agency}/{year}");

    public static IReadOnlyList<object> Set(SetAnnualReportText c, AnnualReportText current)
    {
        new Validation()
            .Require(c.Year is >= 2019 and <= 2200, "year", "reports under the 2019 regulation start with 2019")
            .Require((c.Overview ?? "").Length <= 20_000, "overview", "is longer than 20000 characters")
            .Require((c.Problems ?? "").Length <= 20_000, "problems", "is longer than 20000 characters")
            .Require((c.Other ?? "").Length <= 20_000, "other", "is longer than 20000 characters")
            .ThrowIfAny();
        var text = new AnnualReportText((c.Overview ?? "").Trim(), (c.Problems ?? "").Trim(), (c.Other ?? "").Trim());
        return text == current ? [] : [new AnnualReportTextSet(c.Agency, c.Year, text.Overview, text.Problems, text.Other, c.Actor)];
    }

    public static AnnualReportText Evolve(AnnualReportText state, object e) =>
        e is AnnualReportTextSet s ? new(s.Overview, s.Problems, s.Other) : state;
}
