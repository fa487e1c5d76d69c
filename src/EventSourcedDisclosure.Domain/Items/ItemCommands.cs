namespace EventSourcedDisclosure.Domain.Items;

/// <summary>What an item command needs to know of its agency.</summary>
public sealed record AgencyContext(
    string Code, string Name, string IndexPrefix, string IndexTemplate, IReadOnlyCollection<string> Categories,
    int WithholdingReviewMonths = 12);

/// <summary>Codes arrive as the client sent them; the decider parses and reports unknown ones as field errors.</summary>
public sealed record DraftItem(
    Guid ItemId, string? Title, string? Summary, string? Body, string? DocumentNumber, DateOnly? WrittenOn,
    string? Department, string? Category, string? Topic, IReadOnlyList<string>? Keywords, string? Genre, decimal? Amount,
    string Actor, DateOnly Today);

public sealed record AssignAttribute(string? Disclosure, string? Reason, string? Basis, bool Important, string Actor, DateOnly Today);

public sealed record ReviewItem(string? Outcome, string? Opinion, string Actor, DateOnly Today);

public sealed record ApproveItem(string? Outcome, string? Opinion, string Actor, DateOnly Today);

public sealed record PublishItem(DateOnly? PublishedOn, IReadOnlyList<string>? Channels, string Actor);

public sealed record DeclassifyItem(DateOnly? DeclassifiedOn, string? Disclosure, string? Basis, string Actor);

public sealed record ConfirmWithholding(DateOnly? ReviewedOn, string? Opinion, string Actor);

public sealed record ReviseItem(DateOnly? RevisedOn, string? Title, string? Summary, string? Body, string? Reason, string Actor);

public sealed record RepealItem(DateOnly? RepealedOn, string? Reason, string Actor);
