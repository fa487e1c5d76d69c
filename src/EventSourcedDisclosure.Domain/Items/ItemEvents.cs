namespace EventSourcedDisclosure.Domain.Items;

/// <summary>What the public catalogue shows of an item (条例第十二条: 索引、名称、内容概述、生成日期).</summary>
public sealed record ItemContent(
    string Title, string Summary, string? Body, string? DocumentNumber, DateOnly WrittenOn,
    string Department, string Category, string? Topic, IReadOnlyList<string> Keywords, Genre Genre, decimal? Amount);

public sealed record ItemDrafted(Guid ItemId, string Agency, ItemContent Content, string DraftedBy, DateOnly DraftedOn);

/// <summary>属性源头认定. Reason and basis are set for withheld; ReviewDueOn is the 定期评估审查 date.</summary>
public sealed record ItemAttributeAssigned(
    Guid ItemId, Disclosure Disclosure, WithholdingReason? Reason, string? Basis, bool Important,
    DateOnly AssignedOn, string AssignedBy, DateOnly? ReviewDueOn);

/// <summary>保密审查 of one content revision under one attribute (一事一审).</summary>
public sealed record ItemReviewed(Guid ItemId, int Revision, ReviewOutcome Outcome, string Opinion, string Reviewer, DateOnly ReviewedOn);

/// <summary>分管领导 approval of an important item, after its review.</summary>
public sealed record ItemApprovalGiven(Guid ItemId, int Revision, ApprovalOutcome Outcome, string Opinion, string Approver, DateOnly DecidedOn);

/// <summary>
/// A publication: the first one issues the index number; later ones add channels or publish a
/// revision. Carries what was published, so the catalogue and the audit show exactly that.
/// </summary>
public sealed record ItemPublished(
    Guid ItemId, int Revision, DateOnly PublishedOn, IReadOnlyList<Channel> NewChannels, IReadOnlyList<Channel> Channels,
    string IndexNumber, string AgencyName, ItemContent Content, string? Basis);

/// <summary>解密: the secrecy period ended; the attribute changes from withheld.</summary>
public sealed record ItemDeclassified(Guid ItemId, DateOnly DeclassifiedOn, Disclosure Disclosure, string Basis, string DeclassifiedBy);

/// <summary>定期评估审查 of a withheld item that keeps its attribute.</summary>
public sealed record ItemWithholdingConfirmed(Guid ItemId, DateOnly ReviewedOn, string Opinion, string ReviewedBy, DateOnly NextReviewDueOn);

public sealed record ItemRevised(Guid ItemId, int Revision, DateOnly RevisedOn, ItemContent Content, string Reason, string RevisedBy);

public sealed record ItemRepealed(Guid ItemId, DateOnly RepealedOn, string Reason, string RepealedBy);

/// <summary>One serial of an agency's index-number sequence for a year, taken by an item.</summary>
public sealed record IndexSerialIssued(string Agency, int Year, int Serial, Guid ItemId, string IndexNumber);
