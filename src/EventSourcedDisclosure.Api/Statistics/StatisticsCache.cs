using System.Collections.Concurrent;
using EventSourcedDisclosure.Domain.Statistics;

namespace EventSourcedDisclosure.Api.Statistics;

/// <summary>One agency's year folded into cells, and last year's, for the 本年二 = 上年四 check.</summary>
public sealed record AgencyYearCells(IReadOnlyDictionary<string, decimal> Cells, IReadOnlyDictionary<string, decimal>? PreviousCells);

/// <summary>
/// Per node, an agency's folded cells for a year, kept while its facts stand where they stood:
/// the version is the log position of the last statistics batch that changed them (stat_versions),
/// and every fact state follows from the position (all events up to it, in replay order), so a
/// hit is exact. A region's tables are then sums of cached agencies instead of a fold of all their facts.
/// </summary>
public sealed class StatisticsCache
{
    private const int Capacity = 20_000;
    private readonly ConcurrentDictionary<(string Agency, int Year, ReportFormat Format), (string Version, AgencyYearCells Cells)> _entries = new();

    public AgencyYearCells? Find(string agency, int year, ReportFormat format, string version) =>
        _entries.TryGetValue((agency, year, format), out var entry) && entry.Version == version ? entry.Cells : null;

    public void Keep(string agency, int year, ReportFormat format, string version, AgencyYearCells cells)
    {
        if (_entries.Count >= Capacity) _entries.Clear(); // rare and cheap to refill: simpler than an LRU
        _entries[(agency, year, format)] = (version, cells);
    }
}
