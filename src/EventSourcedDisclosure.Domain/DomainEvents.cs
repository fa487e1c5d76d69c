using EventSourcedDisclosure.Domain.Agencies;

namespace EventSourcedDisclosure.Domain;

/// <summary>
/// The one place where event types get their stored names. Names are never changed once
/// released; a new shape gets a new name (".v2") and the old one stays readable.
/// </summary>
public static class DomainEvents
{
    public static readonly IReadOnlyList<(string Name, Type Type)> All =
    [
        ("agency.registered.v1", typeof(AgencyRegistered)),
        ("agency.details-changed.v1", typeof(AgencyDetailsChanged)),
    ];
}
