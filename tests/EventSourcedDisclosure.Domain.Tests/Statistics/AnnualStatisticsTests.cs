using EventSourcedDisclosure.Domain.Appeals;
using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Requests;
using EventSourcedDisclosure.Domain.Statistics;
using static EventSourcedDisclosure.Domain.Tests.Requests.RequestFixtures;

namespace EventSourcedDisclosure.Domain.Tests.Statistics;

public sealed class AnnualStatisticsTests
{
    private static RequestFact Request(string received, string? answered, Outcome? outcome = null, string? reason = null,
        ApplicantType type = ApplicantType.NaturalPerson) =>
        new("a", Guid.NewGuid(), D(received), type, 1, answered is null ? null : D(answered), outcome, reason, answered is null ? null : 2);

    private static AnnualTables Tables(int year, ReportFormat format, params RequestFact[] requests) =>
        AnnualTables.Build(AnnualStatistics.Contributions(new StatisticsFacts(requests, [], []), year, format), year, format);

    private static int Cell(AnnualTables t, string row, int column = 6) => t.Requests.Rows.Single(r => r.Key == row).Values[column];

    [Fact]
    public void A_request_counts_by_its_dates_of_receipt_and_answer_and_carries_over_at_31_December()
    {
        var spanning = Request("2024-12-20", "2025-01-10", Outcome.Disclosed);
        var t2024 = Tables(2024, ReportFormat.F2021, spanning);
        (Cell(t2024, "received"), Cell(t2024, "total"), Cell(t2024, "carriedForward")).ShouldBe((1, 0, 1));
        var t2025 = Tables(2025, ReportFormat.F2021, spanning);
        (Cell(t2025, "received"), Cell(t2025, "carriedOver"), Cell(t2025, "disclosed"), Cell(t2025, "carriedForward")).ShouldBe((0, 1, 1, 0));
        t2025.Checks.ShouldAllBe(c => c.Passed);
    }

    [Fact]
    public void A_partial_disclosure_is_counted_once_in_its_own_row()
    {
        var t = Tables(2025, ReportFormat.F2021, Request("2025-03-03", "2025-03-20", Outcome.PartiallyDisclosed));
        Cell(t, "partiallyDisclosed").ShouldBe(1);
        Cell(t, "total").ShouldBe(1);
        t.Requests.Rows.Where(r => r.Key.StartsWith("withheld.")).Sum(r => r.Values[6]).ShouldBe(0);
    }

    [Fact]
    public void The_2019_format_has_one_other_row_and_the_2021_format_three()
    {
        var facts = new[]
        {
            Request("2025-03-03", "2025-05-20", Outcome.Other, "correctionNotSubmitted"),
            Request("2025-03-03", "2025-05-20", Outcome.Other, "feeNotPaid", ApplicantType.Commercial),
        };
        var f2019 = Tables(2025, ReportFormat.F2019, facts);
        f2019.Requests.Rows.Count.ShouldBe(23);
        Cell(f2019, "other").ShouldBe(2);
        var f2021 = Tables(2025, ReportFormat.F2021, facts);
        f2021.Requests.Rows.Count.ShouldBe(25);
        (Cell(f2021, "other.correctionNotSubmitted"), Cell(f2021, "other.feeNotPaid", 1)).ShouldBe((1, 1));
        f2021.Requests.Rows.Select(r => r.Label).ShouldContain("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请");
    }

    [Fact]
    public void Appeals_count_in_the_year_filed_by_their_state_at_31_December()
    {
        AppealFact Appeal(AppealKind kind, bool after, string filed, string? decided, AppealResult? result) =>
            new("a", Guid.NewGuid(), Guid.NewGuid(), kind, after, D(filed), 1, decided is null ? null : D(decided), result, decided is null ? null : 2);
        var facts = new StatisticsFacts([], [],
        [
            Appeal(AppealKind.Reconsideration, false, "2025-03-01", "2025-05-01", AppealResult.Upheld),
            Appeal(AppealKind.Reconsideration, false, "2025-11-01", "2026-01-10", AppealResult.Corrected), // pending at 31 Dec
            Appeal(AppealKind.Lawsuit, true, "2025-04-01", "2025-08-01", AppealResult.Other),
            Appeal(AppealKind.Lawsuit, false, "2024-12-01", "2025-02-01", AppealResult.Upheld), // a 2024 case
        ]);
        var t = AnnualTables.Build(AnnualStatistics.Contributions(facts, 2025, ReportFormat.F2021), 2025, ReportFormat.F2021);
        t.Appeals.Reconsideration.ShouldBe(new AppealCounts(1, 0, 0, 1, 2));
        t.Appeals.LawsuitAfterReconsideration.ShouldBe(new AppealCounts(0, 0, 1, 0, 1));
        t.Appeals.LawsuitDirect.ShouldBe(new AppealCounts(0, 0, 0, 0, 0));
    }

    [Fact]
    public void Table_three_has_the_formats_labels_in_order()
    {
        var labels = RequestTableLayout.Rows(ReportFormat.F2021).Select(r => r.Label).ToList();
        labels[0].ShouldBe("一、本年新收政府信息公开申请数量");
        labels[4].ShouldBe("1.属于国家秘密");
        labels[^2].ShouldBe("（七）总计");
        labels[^1].ShouldBe("四、结转下年度继续办理");
        RequestTableLayout.Columns.ShouldBe(["naturalPerson", "commercial", "research", "publicInterest", "legalService", "otherOrganisation", "total"]);
    }
}
