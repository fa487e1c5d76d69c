using System.Collections.Concurrent;
using EventSourcedDisclosure.Domain.Agencies;
using EventSourcedDisclosure.Domain.Items;
using EventSourcedDisclosure.EventStore;

namespace EventSourcedDisclosure.Api.Agencies;

/// <summary>
/// Each agency's command context as commands last read it, with the version of the agency's
/// stream it was read at. A command hands its decision the context at once and still sends the
/// query; a writer that knows the command's stream skips the query and checks the version under
/// the locks instead (<see cref="ReadAlongside.Known"/>). One entry per agency, a few hundred bytes.
/// </summary>
public sealed class AgencyContexts(EventStore.EventStore store)
{
    private readonly ConcurrentDictionary<string, (AgencyContext Context, long Version)> _read = new(StringComparer.Ordinal);

    /// <summary>The agency's context query for a command's stream round trip (404 when it is not registered).</summary>
    public ReadAlongside Context(string agency, Action<AgencyContext> found)
    {
        var query = AgencyQueries.Context(store.Options.Schema, agency, (context, version) =>
        {
            _read[agency] = (context, version);
            found(context);
        });
        if (!_read.TryGetValue(agency, out var held)) return query;
        found(held.Context);
        return query with { Known = new StreamStamp(agency, AgencyDecider.StreamId(agency), held.Version) };
    }
}
