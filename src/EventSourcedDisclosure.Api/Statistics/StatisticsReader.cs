using EventSourcedDisclosure.Domain.Statistics;
using Npgsql;

namespace EventSourcedDisclosure.Api.Statistics;

/// <summary>The yearly tables of an agency (or every agency in a region prefix), computed from the statistics facts.</summary>
public sealed record ComputedTables(AnnualTables Tables, IReadOnlyList<CellContribution> Contributions, long Position);

public static class StatisticsReader
{
    public static async Task<ComputedTables> ComputeAsync(NpgsqlDataSource db, string s, string? agency, string? regionPrefix, int year,
        ReportFormat format, CancellationToken ct)
    {
        var position = await PositionAsync(db, s, ct);
        var contributions = AnnualStatistics.Contributions(await StatisticsQueries.FactsAsync(db, s, agency, regionPrefix, year, ct), year, format).ToList();
        // Only last year's requests table is wanted (本年二 = 上年四): its items and appeals are not loaded.
        var previous = year > 2019
            ? AnnualTables.Build(AnnualStatistics.Contributions(
                await StatisticsQueries.FactsAsync(db, s, agency, regionPrefix, year - 1, ct, requestsOnly: true), year - 1, format), year - 1, format).Requests
            : null;
        return new(AnnualTables.Build(contributions, year, format, previous), contributions, position);
    }

    /// <summary>
    /// The tables alone (no cell explanations), agency by agency from the cache where their facts
    /// have not moved: what a plain statistics read answers. Explanations and publications use
    /// <see cref="ComputeAsync"/>, which keeps every contribution.
    /// </summary>
    public static async Task<(AnnualTables Tables, long Position, IReadOnlyList<(string Agency, long Position)> Agencies)> TablesAsync(NpgsqlDataSource db, string s, StatisticsCache cache,
        string? agency, string? regionPrefix, int year, ReportFormat format, CancellationToken ct)
    {
        var position = await PositionAsync(db, s, ct);
        var cells = new Dictionary<string, decimal>();
        var previous = year > 2019 ? new Dictionary<string, decimal>() : null;
        var versions = await StatisticsQueries.VersionsAsync(db, s, agency, regionPrefix, ct);
        foreach (var (code, version) in versions)
        {
            var entry = cache.Find(code, year, format, version);
            if (entry is null)
            {
                entry = await FoldAsync(db, s, code, year, format, ct);
                // Kept only if no batch changed the agency's facts while they were read.
                if ((await StatisticsQueries.VersionsAsync(db, s, code, null, ct)).Single().Version == version) cache.Keep(code, year, format, version, entry);
            }
            Add(cells, entry.Cells);
            if (previous is not null && entry.PreviousCells is not null) Add(previous, entry.PreviousCells);
        }
        var previousTable = previous is null ? null : AnnualTables.FromCells(previous, year - 1, format).Requests;
        // Each agency with the log position its facts stand at: what a region's sum was made of.
        return (AnnualTables.FromCells(cells, year, format, previousTable), position,
            versions.Select(v => (v.Agency, long.Parse(v.Version[(v.Version.IndexOf(':') + 1)..]))).ToList());
    }

    private static async Task<AgencyYearCells> FoldAsync(NpgsqlDataSource db, string s, string agency, int year, ReportFormat format, CancellationToken ct)
    {
        var cells = AnnualTables.Cells(AnnualStatistics.Contributions(await StatisticsQueries.FactsAsync(db, s, agency, null, year, ct), year, format));
        var previous = year > 2019
            ? AnnualTables.Cells(AnnualStatistics.Contributions(
                await StatisticsQueries.FactsAsync(db, s, agency, null, year - 1, ct, requestsOnly: true), year - 1, format))
            : null;
        return new(cells, previous);
    }

    private static void Add(Dictionary<string, decimal> into, IReadOnlyDictionary<string, decimal> cells)
    {
        foreach (var (cell, value) in cells) into[cell] = into.GetValueOrDefault(cell) + value;
    }

    /// <summary>Information-processing fees paid in the year (section 六 of the 2021 format).</summary>
    public static async Task<decimal> FeesCollectedAsync(NpgsqlDataSource db, string s, string agency, int year, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            $"select coalesce(sum(fee_amount), 0) from {s}.stat_requests where tenant_id = $1 and extract(year from fee_paid_on) = $2");
        command.Parameters.Add(new() { Value = agency });
        command.Parameters.Add(new() { Value = year });
        return (decimal)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The global log position the statistics stand at: the projection's checkpoint.</summary>
    public static async Task<long> PositionAsync(NpgsqlDataSource db, string s, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"select coalesce(max(last_seq), 0) from {s}.projection_progress where name = 'statistics'");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    public static ReportFormat FormatOf(string? code, int year) =>
        code switch { "2019" => ReportFormat.F2019, "2021" => ReportFormat.F2021, _ => AnnualStatistics.DefaultFormat(year) };
}
