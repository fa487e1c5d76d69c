namespace EventSourcedDisclosure.Domain.Agencies;

public sealed record AgencyRegistered(
    string Agency, string Name, string Region, string IndexPrefix, string IndexTemplate,
    IReadOnlyList<string> Categories, DateTimeOffset RegisteredAt);

public sealed record AgencyDetailsChanged(
    string Agency, string Name, string Region, string IndexPrefix, string IndexTemplate,
    IReadOnlyList<string> Categories, DateTimeOffset ChangedAt);
