using EventSourcedDisclosure.Domain.Calendar;
using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Items;

namespace EventSourcedDisclosure.Api.Items;

public sealed record TrailView(string Step, string Outcome, string Opinion, string By, DateOnly On, int Revision);

/// <summary>The internal (staff) view of an item: everything, including why it is or is not disclosed.</summary>
public sealed record ItemView(
    Guid Id, string Agency, string Title, string Summary, string? Body, string? DocumentNumber, DateOnly WrittenOn,
    string Department, string Category, string? Topic, IReadOnlyList<string> Keywords, string Genre, decimal? Amount,
    string Status, string? Disclosure, string? Reason, string? Basis, bool Important, int Revision,
    IReadOnlyList<string> Channels, string? IndexNumber, DateOnly? FirstPublishedOn, DateOnly? LastPublishedOn,
    DateOnly? PublicationDueOn, bool PublicationDueProvisional, bool PublicationOverdue, DateOnly? ReviewDueOn,
    DateOnly? RepealedOn, string? RepealReason, string DraftedBy, IReadOnlyList<TrailView> Trail, long Version)
{
    public static ItemView Of(Item item, long version, WorkingCalendar calendar, DateOnly today)
    {
        var c = item.Content!;
        var due = item.PublicationDue(calendar);
        return new(item.Id, item.Agency, c.Title, c.Summary, c.Body, c.DocumentNumber, c.WrittenOn, c.Department, c.Category,
            c.Topic, c.Keywords, Codes.Of(c.Genre), c.Amount, Codes.Of(item.Status),
            item.Attribute is { } a ? Codes.Of(a.Disclosure) : null,
            item.Attribute?.Reason is { } r ? Codes.Of(r) : null, item.Attribute?.Basis, item.Attribute?.Important ?? false,
            item.Revision, item.Channels.Select(Codes.Of).ToList(), item.IndexNumber, item.FirstPublishedOn, item.LastPublishedOn,
            due?.Date, due?.Provisional ?? false, due is { } d && d.Date < today,
            item.Attribute?.Disclosure == Domain.Items.Disclosure.Withheld ? item.WithholdingReviewDueOn : null,
            item.RepealedOn, item.RepealReason, item.DraftedBy,
            item.Trail.Select(t => new TrailView(t.Step, t.Outcome, t.Opinion, t.By, t.On, t.Revision)).ToList(), version);
    }
}
