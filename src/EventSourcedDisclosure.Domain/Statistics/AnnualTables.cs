using System.Globalization;
using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Requests;

namespace EventSourcedDisclosure.Domain.Statistics;

public sealed record RequestRow(string Key, string Label, IReadOnlyList<int> Values);

public sealed record RequestTable(IReadOnlyList<string> Columns, IReadOnlyList<RequestRow> Rows);

public sealed record AppealCounts(int Upheld, int Corrected, int Other, int Pending, int Total);

public sealed record AppealTable(AppealCounts Reconsideration, AppealCounts LawsuitDirect, AppealCounts LawsuitAfterReconsideration);

/// <summary>The three tables of one agency or region for one year, with their balance checks.</summary>
public sealed record AnnualTables(
    int Year, string Format, IReadOnlyDictionary<string, IReadOnlyDictionary<string, object>> Proactive,
    RequestTable Requests, AppealTable Appeals, IReadOnlyList<Check> Checks)
{
    public static AnnualTables Build(IEnumerable<CellContribution> contributions, int year, ReportFormat format, RequestTable? previousYear = null) =>
        FromCells(Cells(contributions), year, format, previousYear);

    /// <summary>Every cell's sum. Cells add up: a region's are the sums of its agencies'.</summary>
    public static Dictionary<string, decimal> Cells(IEnumerable<CellContribution> contributions) =>
        contributions.GroupBy(c => c.Cell).ToDictionary(g => g.Key, g => g.Sum(c => c.Value));

    public static AnnualTables FromCells(IReadOnlyDictionary<string, decimal> cells, int year, ReportFormat format, RequestTable? previousYear = null)
    {
        decimal Cell(string key) => cells.GetValueOrDefault(key);
        int Count(string key) => (int)Cell(key);

        var requests = new RequestTable(RequestTableLayout.Columns, RequestTableLayout.Rows(format)
            .Select(r => new RequestRow(r.Key, r.Label, RequestTableLayout.Columns.Select(c => Count($"requests.{r.Key}.{c}")).ToList()))
            .ToList());
        AppealCounts Appeal(string table) => new(Count($"appeals.{table}.upheld"), Count($"appeals.{table}.corrected"),
            Count($"appeals.{table}.other"), Count($"appeals.{table}.pending"), Count($"appeals.{table}.total"));
        var appeals = new AppealTable(Appeal("reconsideration"), Appeal("lawsuitDirect"), Appeal("lawsuitAfterReconsideration"));

        return new(year, format == ReportFormat.F2021 ? "2021" : "2019", ProactiveTable(format, Cell, Count), requests, appeals,
            BalanceChecks(requests, appeals, previousYear).ToList());
    }

    private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, object>> ProactiveTable(ReportFormat format, Func<string, decimal> cell, Func<string, int> count)
    {
        IReadOnlyDictionary<string, object> Of(string group, params string[] keys) =>
            keys.ToDictionary(k => k, k => (object)count($"proactive.{group}.{k}"));
        IReadOnlyDictionary<string, object> WithChange(string group)
        {
            var previous = count($"proactive.{group}.previousYear");
            var now = count($"proactive.{group}.{(group == "fee" ? "items" : "decisions")}");
            var row = new Dictionary<string, object> { ["previousYear"] = previous, ["change"] = now - previous };
            if (group != "fee") row["decisions"] = now;
            return row;
        }
        var channels = Of("channels", "website", "gazette", "weibo", "wechat", "other");
        if (format == ReportFormat.F2021)
            return new Dictionary<string, IReadOnlyDictionary<string, object>>
            {
                ["regulation"] = Of("regulation", "issued", "repealed", "inForce"),
                ["normativeDocument"] = Of("normativeDocument", "issued", "repealed", "inForce"),
                ["licensing"] = Of("licensing", "decisions"),
                ["penalty"] = Of("penalty", "decisions"),
                ["enforcement"] = Of("enforcement", "decisions"),
                ["fee"] = new Dictionary<string, object> { ["amountTenThousandYuan"] = TenThousandYuan(cell("proactive.fee.amount")) },
                ["channels"] = channels,
            };
        return new Dictionary<string, IReadOnlyDictionary<string, object>>
        {
            ["regulation"] = Of("regulation", "made", "published", "totalPublic"),
            ["normativeDocument"] = Of("normativeDocument", "made", "published", "totalPublic"),
            ["licensing"] = WithChange("licensing"),
            ["otherServices"] = WithChange("otherServices"),
            ["penalty"] = WithChange("penalty"),
            ["enforcement"] = WithChange("enforcement"),
            ["fee"] = WithChange("fee"),
            ["procurement"] = new Dictionary<string, object>
            {
                ["projects"] = count("proactive.procurement.projects"),
                ["amountTenThousandYuan"] = TenThousandYuan(cell("proactive.procurement.amount")),
            },
            ["channels"] = channels,
        };
    }

    public static string TenThousandYuan(decimal yuan) => (yuan / 10_000m).ToString("0.000000", CultureInfo.InvariantCulture);

    private static IEnumerable<Check> BalanceChecks(RequestTable t, AppealTable a, RequestTable? previousYear)
    {
        int[] Row(string key) => t.Rows.Single(r => r.Key == key).Values.ToArray();
        var received = Row("received");
        var carriedOver = Row("carriedOver");
        var total = Row("total");
        var carriedForward = Row("carriedForward");
        var results = t.Rows.SkipWhile(r => r.Key != "disclosed").TakeWhile(r => r.Key != "total").ToList();
        for (var c = 0; c < t.Columns.Count; c++)
        {
            yield return new($"一+二=三（七）+四 ({t.Columns[c]})", received[c] + carriedOver[c] == total[c] + carriedForward[c]);
            yield return new($"三（七）= 三（一）至（六）之和 ({t.Columns[c]})", total[c] == results.Sum(r => r.Values[c]));
        }
        foreach (var row in t.Rows)
            yield return new($"总计 = 各类申请人之和 ({row.Key})", row.Values[^1] == row.Values.Take(row.Values.Count - 1).Sum());
        if (previousYear is not null)
        {
            var last = previousYear.Rows.Single(r => r.Key == "carriedForward").Values;
            yield return new("本年二 = 上年四", last.SequenceEqual(carriedOver));
        }
        foreach (var (name, counts) in new[] { ("reconsideration", a.Reconsideration), ("lawsuitDirect", a.LawsuitDirect), ("lawsuitAfterReconsideration", a.LawsuitAfterReconsideration) })
            yield return new($"总计 = 维持+纠正+其他+尚未审结 ({name})", counts.Total == counts.Upheld + counts.Corrected + counts.Other + counts.Pending);
    }
}
