using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Items;
using EventSourcedDisclosure.EventStore;

namespace EventSourcedDisclosure.Api.Catalogue;

/// <summary>One row of catalogue_entries: a version of an item's entry, valid from one date to the next.</summary>
public sealed record CatalogueVersion(
    string TenantId, Guid ItemId, long Seq, int Revision, string IndexNumber, string AgencyName, string Region,
    string Title, string Summary, string? Body, string? DocumentNumber, DateOnly WrittenOn, DateOnly PublishedOn,
    string Category, string? Topic, string[] Keywords, string Genre, string[] Channels, bool Valid, DateOnly? RepealedOn,
    DateOnly ValidFrom, DateOnly? ValidTo, string? SearchText, int[] Bigrams, int[] TitleBigrams);

/// <summary>
/// An item's catalogue versions from its whole stream, in memory: what a rebuild writes. The same
/// rules as <see cref="CatalogueProjection"/>'s statements, which apply them one event at a time
/// to the table (the catalogue fuzz test holds the two equal: a rebuild must equal the live table).
/// </summary>
public static class CatalogueVersions
{
    public static readonly IReadOnlyList<string> EventTypes = ["item.published.v1", "item.attribute-assigned.v1", "item.repealed.v1"];

    public static List<CatalogueVersion> Of(IReadOnlyList<StoredEvent> stream, Func<string, string> regionOf)
    {
        var versions = new List<CatalogueVersion>();
        var current = -1; // the version with no end yet, if any
        void Close(DateOnly on)
        {
            if (current < 0) return;
            versions[current] = versions[current] with { ValidTo = Later(versions[current].ValidFrom, on) };
            current = -1;
        }
        foreach (var e in stream)
            switch (e.Data)
            {
                // More channels for the same revision: the same entry (不同渠道公开相同信息计1条).
                case ItemPublished p when current >= 0 && versions[current] is { Valid: true } open && open.Revision == p.Revision:
                    versions[current] = open with { Channels = p.Channels.Select(Codes.Of).ToArray() };
                    break;
                case ItemPublished p:
                    Close(p.PublishedOn);
                    var c = p.Content;
                    var (searchText, bigrams) = Searchable(c);
                    versions.Add(new(e.TenantId, p.ItemId, e.Sequence, p.Revision, p.IndexNumber, p.AgencyName, regionOf(e.TenantId),
                        c.Title, c.Summary, c.Body, c.DocumentNumber, c.WrittenOn, p.PublishedOn, c.Category, c.Topic, c.Keywords.ToArray(),
                        Codes.Of(c.Genre), p.Channels.Select(Codes.Of).ToArray(), true, null, p.PublishedOn, null,
                        searchText, bigrams, Bigrams.Of(c.Title)));
                    current = versions.Count - 1;
                    break;
                case ItemAttributeAssigned { Disclosure: not Disclosure.Proactive } a:
                    Close(a.AssignedOn);
                    break;
                // A repeal ends the entry and opens it again marked invalid (失效/废止): it stays listed.
                case ItemRepealed r when current >= 0:
                    var repealed = versions[current];
                    Close(r.RepealedOn);
                    versions.Add(repealed with { Seq = e.Sequence, Valid = false, RepealedOn = r.RepealedOn, ValidFrom = Later(repealed.ValidFrom, r.RepealedOn) });
                    current = versions.Count - 1;
                    break;
            }
        return versions;
    }

    /// <summary>The text a search looks in: title, document number, summary and body, a line each.</summary>
    public static string SearchedText(ItemContent c) => string.Join('\n', c.Title, c.DocumentNumber, c.Summary, c.Body);

    /// <summary>
    /// The searched text lowercased, kept only where lowercasing changes it (Latin capitals), and
    /// its pairs. For the rest, nearly every Chinese entry, a search reads the columns themselves
    /// (<see cref="CatalogueQueries"/>): a second copy of them was a quarter of each row.
    /// </summary>
    public static (string? SearchText, int[] Bigrams) Searchable(ItemContent c)
    {
        var text = SearchedText(c);
        var lowered = Bigrams.Normalize(text);
        return (string.Equals(lowered, text, StringComparison.Ordinal) ? null : lowered, Bigrams.OfNormalized(lowered));
    }

    private static DateOnly Later(DateOnly a, DateOnly b) => a > b ? a : b;
}
