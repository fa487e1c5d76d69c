namespace EventSourcedDisclosure.Api.Items;

// Request bodies as ../shared/API.md names them. Codes stay strings: the decider reports unknown ones per field.
public sealed record DraftBody(
    string? Title, string? Summary, string? Body, string? DocumentNumber, DateOnly? WrittenOn, string? Department,
    string? Category, string? Topic, string[]? Keywords, string? Genre, decimal? Amount);

public sealed record AttributeBody(string? Disclosure, string? Reason, string? Basis, bool Important);

public sealed record OutcomeBody(string? Outcome, string? Opinion);

public sealed record PublicationBody(DateOnly? PublishedOn, string[]? Channels);

public sealed record DeclassificationBody(DateOnly? DeclassifiedOn, string? Disclosure, string? Basis);

public sealed record WithholdingReviewBody(DateOnly? ReviewedOn, string? Opinion);

public sealed record RevisionBody(DateOnly? RevisedOn, string? Title, string? Summary, string? Body, string? Reason);

public sealed record RepealBody(DateOnly? RepealedOn, string? Reason);
