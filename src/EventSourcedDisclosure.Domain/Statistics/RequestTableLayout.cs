using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Requests;

namespace EventSourcedDisclosure.Domain.Statistics;

/// <summary>Table 三 of the national format: its rows in order, with the format's labels word for word.</summary>
public static class RequestTableLayout
{
    public static readonly IReadOnlyList<string> Columns =
        [.. Enum.GetValues<ApplicantType>().Select(Codes.Of), "total"];

    public static readonly IReadOnlyList<string> ColumnLabels = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"];

    public sealed record Row(string Key, string Label);

    public static IReadOnlyList<Row> Rows(ReportFormat format)
    {
        var rows = new List<Row>
        {
            new("received", "一、本年新收政府信息公开申请数量"),
            new("carriedOver", "二、上年结转政府信息公开申请数量"),
            new("disclosed", "（一）予以公开"),
            new("partiallyDisclosed", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
        };
        rows.AddRange(Numbered(Outcome.Withheld));
        rows.AddRange(Numbered(Outcome.Unavailable));
        rows.AddRange(Numbered(Outcome.NotProcessed));
        if (format == ReportFormat.F2021) rows.AddRange(Numbered(Outcome.Other));
        else rows.Add(new("other", "（六）其他处理"));
        rows.Add(new("total", "（七）总计"));
        rows.Add(new("carriedForward", "四、结转下年度继续办理"));
        return rows;
    }

    /// <summary>The group headings above the numbered rows: （三）不予公开, （四）无法提供, （五）不予处理, （六）其他处理.</summary>
    public static readonly IReadOnlyDictionary<Outcome, string> GroupLabels = new Dictionary<Outcome, string>
    {
        [Outcome.Withheld] = "（三）不予公开", [Outcome.Unavailable] = "（四）无法提供",
        [Outcome.NotProcessed] = "（五）不予处理", [Outcome.Other] = "（六）其他处理",
    };

    public const string ResultsLabel = "三、本年度办理结果";

    private static IEnumerable<Row> Numbered(Outcome outcome) =>
        OutcomeReasons.ByOutcome[outcome].Select((r, i) => new Row($"{Codes.Of(outcome)}.{r.Key}", $"{i + 1}.{r.Value}"));

    /// <summary>The row a final answer is counted in.</summary>
    public static string RowOf(Outcome outcome, string? reason, ReportFormat format) =>
        outcome is Outcome.Disclosed or Outcome.PartiallyDisclosed ? Codes.Of(outcome)
        : outcome == Outcome.Other && format == ReportFormat.F2019 ? "other"
        : $"{Codes.Of(outcome)}.{reason}";
}
