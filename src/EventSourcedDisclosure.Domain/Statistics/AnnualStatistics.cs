using EventSourcedDisclosure.Domain.Appeals;
using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Items;

namespace EventSourcedDisclosure.Domain.Statistics;

/// <summary>One contribution of one fact to one cell.</summary>
public sealed record CellContribution(string Cell, decimal Value, FactSource Source);

public sealed record Check(string Rule, bool Passed);

/// <summary>
/// The yearly tables as a fold over facts: every fact says which cells it adds to (so any cell
/// can be explained by the facts behind it), and the same facts give the 2019 or the 2021 format.
/// Counting decisions: ../shared/domain/REFERENCE.md, "Counting decisions".
/// </summary>
public static class AnnualStatistics
{
    public static ReportFormat DefaultFormat(int year) => year >= 2021 ? ReportFormat.F2021 : ReportFormat.F2019;

    public static IEnumerable<CellContribution> Contributions(StatisticsFacts facts, int year, ReportFormat format) =>
        facts.Requests.SelectMany(r => RequestCells(r, year, format))
            .Concat(facts.Items.SelectMany(i => ItemCells(i, year, format)))
            .Concat(facts.Appeals.SelectMany(a => AppealCells(a, year)));

    /// <summary>Table 三: the year of receipt, the year of the final answer, and what is open at 31 December.</summary>
    public static IEnumerable<CellContribution> RequestCells(RequestFact r, int year, ReportFormat format)
    {
        var first = new DateOnly(year, 1, 1);
        var last = new DateOnly(year, 12, 31);
        var column = Codes.Of(r.ApplicantType);
        var receipt = new FactSource(r.Agency, r.Id, r.ReceivedSequence, r.ReceivedOn);
        IEnumerable<(string Row, FactSource Source)> Rows()
        {
            if (r.ReceivedOn.Year == year) yield return ("received", receipt);
            if (r.ReceivedOn < first && (r.AnsweredOn is null || r.AnsweredOn >= first)) yield return ("carriedOver", receipt);
            if (r.AnsweredOn is { } answered && answered.Year == year && r.Outcome is { } outcome)
            {
                var source = new FactSource(r.Agency, r.Id, r.AnsweredSequence!.Value, answered);
                yield return (RequestTableLayout.RowOf(outcome, r.Reason, format), source);
                yield return ("total", source);
            }
            if (r.ReceivedOn <= last && (r.AnsweredOn is null || r.AnsweredOn > last)) yield return ("carriedForward", receipt);
        }
        foreach (var (row, source) in Rows())
        {
            yield return new($"requests.{row}.{column}", 1, source);
            yield return new($"requests.{row}.total", 1, source);
        }
    }

    /// <summary>Table 二: decisions and documents by the dates the format names, as at 31 December.</summary>
    public static IEnumerable<CellContribution> ItemCells(ItemFact i, int year, ReportFormat format)
    {
        var last = new DateOnly(year, 12, 31);
        var drafted = new FactSource(i.Agency, i.Id, i.DraftedSequence, i.WrittenOn);
        var published = i.FirstPublishedOn is { } p ? new FactSource(i.Agency, i.Id, i.PublishedSequence!.Value, p) : null;
        var repealed = i.RepealedOn is { } x ? new FactSource(i.Agency, i.Id, i.RepealedSequence!.Value, x) : null;
        var inForce = i.FirstPublishedOn <= last && (i.RepealedOn is null || i.RepealedOn > last);
        var genre = Codes.Of(i.Genre);

        if (i.Genre is Genre.Regulation or Genre.NormativeDocument)
        {
            if (format == ReportFormat.F2021)
            {
                if (published is not null && published.Date.Year == year) yield return new($"proactive.{genre}.issued", 1, published);
                if (repealed is not null && repealed.Date.Year == year) yield return new($"proactive.{genre}.repealed", 1, repealed);
                if (inForce) yield return new($"proactive.{genre}.inForce", 1, published!);
            }
            else
            {
                if (i.WrittenOn.Year == year) yield return new($"proactive.{genre}.made", 1, drafted);
                if (published is not null && published.Date.Year == year) yield return new($"proactive.{genre}.published", 1, published);
                if (inForce) yield return new($"proactive.{genre}.totalPublic", 1, published!);
            }
        }
        // "包括已公开和依法未公开的全部处理决定": decisions count by their date whatever their attribute.
        if (i.Genre is Genre.Licensing or Genre.Penalty or Genre.Enforcement)
        {
            if (i.WrittenOn.Year == year) yield return new($"proactive.{genre}.decisions", 1, drafted);
            if (format == ReportFormat.F2019 && i.WrittenOn.Year == year - 1) yield return new($"proactive.{genre}.previousYear", 1, drafted);
        }
        if (i.Genre == Genre.Fee)
        {
            if (format == ReportFormat.F2021 && i.WrittenOn.Year == year) yield return new("proactive.fee.amount", i.Amount ?? 0, drafted);
            if (format == ReportFormat.F2019 && i.WrittenOn.Year == year) yield return new("proactive.fee.items", 1, drafted);
            if (format == ReportFormat.F2019 && i.WrittenOn.Year == year - 1) yield return new("proactive.fee.previousYear", 1, drafted);
        }
        if (i.Genre == Genre.Procurement && format == ReportFormat.F2019 && i.WrittenOn.Year == year)
        {
            yield return new("proactive.procurement.projects", 1, drafted);
            yield return new("proactive.procurement.amount", i.Amount ?? 0, drafted);
        }
        foreach (var (channel, on) in i.Channels)
            if (on.Year == year)
                yield return new($"proactive.channels.{ChannelColumn(channel)}", 1, new FactSource(i.Agency, i.Id, i.PublishedSequence ?? 0, on));
    }

    /// <summary>Table 四: cases filed in the year, by their state at 31 December.</summary>
    public static IEnumerable<CellContribution> AppealCells(AppealFact a, int year)
    {
        if (a.FiledOn.Year != year) yield break;
        var table = a.Kind == AppealKind.Reconsideration ? "reconsideration" : a.AfterReconsideration ? "lawsuitAfterReconsideration" : "lawsuitDirect";
        var decided = a.DecidedOn is { } d && d.Year <= year && a.Result is not null;
        var source = decided ? new FactSource(a.Agency, a.RequestId, a.DecidedSequence!.Value, a.DecidedOn!.Value)
            : new FactSource(a.Agency, a.RequestId, a.FiledSequence, a.FiledOn);
        yield return new($"appeals.{table}.{(decided ? Codes.Of(a.Result!.Value) : "pending")}", 1, source);
        yield return new($"appeals.{table}.total", 1, source);
    }

    private static string ChannelColumn(Channel c) => c switch
    {
        Channel.Website => "website", Channel.Gazette => "gazette", Channel.Weibo => "weibo", Channel.Wechat => "wechat", _ => "other",
    };
}
