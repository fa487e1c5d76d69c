namespace EventSourcedDisclosure.Domain.Agencies;

public sealed record AgencyRegistered(
    string Agency, string Name, string Region, string IndexPrefix, string IndexTemplate,
    IReadOnlyList<CatalogueCategory> Categories, int WithholdingReviewMonths, DateTimeOffset RegisteredAt);

public sealed record AgencyDetailsChanged(
    string Agency, string Name, string Region, string IndexPrefix, string IndexTemplate,
    IReadOnlyList<CatalogueCategory> Categories, int WithholdingReviewMonths, DateTimeOffset ChangedAt);

/// <summary>A column of the agency's public catalogue (公开目录 栏目): a stable code and its label.</summary>
public sealed record CatalogueCategory(string Code, string Label);
