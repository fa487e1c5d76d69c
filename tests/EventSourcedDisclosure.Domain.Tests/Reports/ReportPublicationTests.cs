using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Reports;
using EventSourcedDisclosure.Domain.Statistics;

namespace EventSourcedDisclosure.Domain.Tests.Reports;

public sealed class ReportPublicationTests
{
    private static Spec<AnnualReportState> Spec => new(AnnualReportState.Initial, AnnualReportState.Evolve);
    private static readonly Dictionary<string, decimal> Cells = new() { ["requests.received.total"] = 3 };

    [Fact]
    public void A_report_is_published_after_its_year_ends_and_may_be_published_again_as_a_correction()
    {
        Spec.ThenRejected(s => ReportPublicationRules.Publish(
            new PublishAnnualReport("a", 2025, "2021", 10, Cells, new DateOnly(2025, 12, 31), "editor"), s), ReportPublicationRules.ReportAfterYearEnd);
        var first = (AnnualReportPublished)ReportPublicationRules.Publish(
            new PublishAnnualReport("a", 2025, "2021", 10, Cells, new DateOnly(2026, 1, 20), "editor"), Spec.State).Single();
        var again = Spec.Given(first).When(s => ReportPublicationRules.Publish(
            new PublishAnnualReport("a", 2025, "2021", 12, Cells, new DateOnly(2026, 2, 3), "editor"), s));
        again.ShouldHaveSingleItem().ShouldBeOfType<AnnualReportPublished>().Position.ShouldBe(12);
    }

    [Fact]
    public void A_restatement_names_the_cells_that_moved_and_the_events_recorded_since()
    {
        var published = new AnnualReportPublished("a", 2025, "2021", 10, Cells, new DateOnly(2026, 1, 20), "editor");
        var before = new FactSource("a", Guid.NewGuid(), 5, new DateOnly(2025, 3, 3));
        var after = new FactSource("a", Guid.NewGuid(), 14, new DateOnly(2025, 12, 30));
        var restated = ReportPublicationRules.Restatement(published,
        [
            new("requests.received.total", 1, before), new("requests.received.total", 1, before), new("requests.received.total", 1, before),
            new("requests.received.total", 1, after),
        ]);
        var cell = restated.ShouldHaveSingleItem();
        (cell.Cell, cell.Published, cell.Current).ShouldBe(("requests.received.total", 3m, 4m));
        cell.Events.ShouldBe([after]);
    }

    [Fact]
    public void The_same_text_again_changes_nothing() =>
        Spec.Given(new AnnualReportTextSet("a", 2025, "概述", "问题", "其他", "editor"))
            .ThenEvents(s => AnnualReportTextDecider.Set(new SetAnnualReportText("a", 2025, " 概述 ", "问题", "其他", "editor"), s.Text));

    [Fact]
    public void Report_text_has_limits() =>
        Should.Throw<ValidationFailed>(() => AnnualReportTextDecider.Set(
            new SetAnnualReportText("a", 2018, new string('字', 20_001), null, null, "editor"), AnnualReportText.Empty))
            .Errors.Keys.ShouldBe(["year", "overview"], ignoreOrder: true);
}
