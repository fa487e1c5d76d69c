using EventSourcedDisclosure.Domain.Calendar;
using EventSourcedDisclosure.Domain.Common;

namespace EventSourcedDisclosure.Domain.Items;

public sealed record ItemAttribute(Disclosure Disclosure, WithholdingReason? Reason, string? Basis, bool Important, DateOnly AssignedOn);

/// <summary>One step of the review and approval trail the records office reads.</summary>
public sealed record TrailEntry(string Step, string Outcome, string Opinion, string By, DateOnly On, int Revision);

/// <summary>
/// An information item folded from its stream. Plain data, so the inline projection can keep it
/// as a snapshot. Review and approval hold for one content revision under one attribute: any
/// change of either clears them (一事一审).
/// </summary>
public sealed record Item
{
    public static readonly Item Initial = new();

    public bool Exists { get; init; }
    public Guid Id { get; init; }
    public string Agency { get; init; } = "";
    public string DraftedBy { get; init; } = "";
    public ItemContent? Content { get; init; }
    public int Revision { get; init; }
    public ItemAttribute? Attribute { get; init; }
    public bool Cleared { get; init; }
    public bool Approved { get; init; }
    public int? PublishedRevision { get; init; }
    public IReadOnlyList<Channel> Channels { get; init; } = [];
    public string? IndexNumber { get; init; }
    public DateOnly? FirstPublishedOn { get; init; }
    public DateOnly? LastPublishedOn { get; init; }
    /// <summary>The day the information was formed or last changed: 条例第二十六条 counts from it.</summary>
    public DateOnly ChangedOn { get; init; }
    public DateOnly? WithholdingReviewDueOn { get; init; }
    public DateOnly? RepealedOn { get; init; }
    public string? RepealReason { get; init; }
    public IReadOnlyList<TrailEntry> Trail { get; init; } = [];

    public bool IsPublished => PublishedRevision is not null;
    public bool CurrentRevisionPublished => PublishedRevision == Revision;
    public bool IsRepealed => RepealedOn is not null;
    public bool IsProactive => Attribute?.Disclosure == Disclosure.Proactive;

    /// <summary>In the public catalogue now: published, proactive, reviewed (repealed items stay, marked 失效).</summary>
    public bool InCatalogue => IsPublished && IsProactive;

    public ItemStatus Status =>
        IsRepealed ? ItemStatus.Repealed
        : CurrentRevisionPublished ? ItemStatus.Published
        : Approved ? ItemStatus.Approved
        : Cleared ? ItemStatus.Reviewed
        : ItemStatus.Draft;

    /// <summary>条例第二十六条: a proactive item is due 20 working days after it was formed or changed, until published.</summary>
    public WorkingDate? PublicationDue(WorkingCalendar calendar) =>
        Exists && IsProactive && !IsRepealed && !CurrentRevisionPublished
            ? calendar.AddWorkingDays(ChangedOn, ItemDecider.PublicationLimitWorkingDays)
            : null;

    public static Item Evolve(Item item, object @event) => @event switch
    {
        ItemDrafted e => item with
        {
            Exists = true, Id = e.ItemId, Agency = e.Agency, DraftedBy = e.DraftedBy, Content = e.Content,
            Revision = 1, ChangedOn = e.Content.WrittenOn,
        },
        ItemAttributeAssigned e => item with
        {
            Attribute = new(e.Disclosure, e.Reason, e.Basis, e.Important, e.AssignedOn),
            Cleared = false, Approved = false,
            WithholdingReviewDueOn = e.ReviewDueOn,
            // Becoming proactive later is a change (变更) of the information: the 20 days start again.
            ChangedOn = e.Disclosure == Disclosure.Proactive && item.Attribute is { Disclosure: not Disclosure.Proactive }
                ? e.AssignedOn : item.ChangedOn,
            // Withdrawn from the catalogue: a later publication is a new one.
            PublishedRevision = e.Disclosure == Disclosure.Proactive ? item.PublishedRevision : null,
            Trail = [.. item.Trail, new("attribute", Codes.Of(e.Disclosure), e.Basis ?? "", e.AssignedBy, e.AssignedOn, item.Revision)],
        },
        ItemReviewed e => item with
        {
            Cleared = e.Outcome == ReviewOutcome.Cleared, Approved = false,
            Trail = [.. item.Trail, new("review", Codes.Of(e.Outcome), e.Opinion, e.Reviewer, e.ReviewedOn, e.Revision)],
        },
        ItemApprovalGiven e => item with
        {
            Approved = e.Outcome == ApprovalOutcome.Approved,
            Cleared = e.Outcome == ApprovalOutcome.Approved && item.Cleared,
            Trail = [.. item.Trail, new("approval", Codes.Of(e.Outcome), e.Opinion, e.Approver, e.DecidedOn, e.Revision)],
        },
        ItemPublished e => item with
        {
            PublishedRevision = e.Revision, Channels = e.Channels, IndexNumber = e.IndexNumber,
            FirstPublishedOn = item.FirstPublishedOn ?? e.PublishedOn, LastPublishedOn = e.PublishedOn,
        },
        ItemDeclassified e => item with
        {
            Attribute = new(e.Disclosure, null, e.Basis, item.Attribute?.Important ?? false, e.DeclassifiedOn),
            Cleared = false, Approved = false, WithholdingReviewDueOn = null, ChangedOn = e.DeclassifiedOn,
            Trail = [.. item.Trail, new("declassification", Codes.Of(e.Disclosure), e.Basis, e.DeclassifiedBy, e.DeclassifiedOn, item.Revision)],
        },
        ItemWithholdingConfirmed e => item with
        {
            WithholdingReviewDueOn = e.NextReviewDueOn,
            Trail = [.. item.Trail, new("withholdingReview", "confirmed", e.Opinion, e.ReviewedBy, e.ReviewedOn, item.Revision)],
        },
        ItemRevised e => item with
        {
            Content = e.Content, Revision = e.Revision, Cleared = false, Approved = false, ChangedOn = e.RevisedOn,
            Trail = [.. item.Trail, new("revision", "revised", e.Reason, e.RevisedBy, e.RevisedOn, e.Revision)],
        },
        ItemRepealed e => item with
        {
            RepealedOn = e.RepealedOn, RepealReason = e.Reason,
            Trail = [.. item.Trail, new("repeal", "repealed", e.Reason, e.RepealedBy, e.RepealedOn, item.Revision)],
        },
        _ => item,
    };
}
