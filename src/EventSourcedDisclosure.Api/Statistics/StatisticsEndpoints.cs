using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Statistics;
using Npgsql;

namespace EventSourcedDisclosure.Api.Statistics;

public sealed record CellExplanation(string Cell, decimal Value, IReadOnlyList<FactSource> Events);

public sealed record SummedAgency(string Agency, long Position);

/// <summary>The yearly tables of the national format, for an agency or a region, with checks and cell explanations.</summary>
public static class StatisticsEndpoints
{
    public static void MapStatistics(this IEndpointRouteBuilder api)
    {
        api.MapGet("/agencies/{agency}/statistics/{year:int}", (string agency, int year, string? format, string? explain,
                NpgsqlDataSource db, EventStore.EventStore store, TimeProvider clock, StatisticsCache cache, CancellationToken ct) =>
            AnswerAsync(db, store, clock, agency, null, year, format, explain, cache, ct))
            .WithTags("Statistics").WithSummary("The yearly tables (主动公开, 依申请, 复议诉讼) of an agency; ?format=2019|2021; ?explain=cell")
            .RequireRole(Readers.Statistics);

        api.MapGet("/regions/{region}/statistics/{year:int}", (string region, int year, string? format, string? explain,
                NpgsqlDataSource db, EventStore.EventStore store, TimeProvider clock, StatisticsCache cache, CancellationToken ct) =>
            RegionCode.IsValid(region)
                ? AnswerAsync(db, store, clock, null, region, year, format, explain, cache, ct)
                : throw new ValidationFailed(new Dictionary<string, string[]> { ["region"] = ["must be a 6-digit administrative division code"] }))
            .WithTags("Statistics").WithSummary("The same tables summed over every agency within a region (县 → 市 → 省)")
            .RequireRole(Readers.Statistics);
    }

    private static async Task<IResult> AnswerAsync(NpgsqlDataSource db, EventStore.EventStore store, TimeProvider clock,
        string? agency, string? region, int year, string? formatCode, string? explain, StatisticsCache cache, CancellationToken ct)
    {
        new Validation().Require(year is >= 2019 and <= 2200, "year", "the 2019 regulation's reports start with 2019")
            .Require(formatCode is null or "2019" or "2021", "format", "must be 2019 or 2021").ThrowIfAny();
        var format = StatisticsReader.FormatOf(formatCode, year);
        var s = store.Options.Schema;
        var prefix = region is null ? null : RegionCode.Prefix(region);
        if (agency is not null && await Agencies.AgencyQueries.FindAsync(db, s, agency, ct) is null) return Results.NotFound();

        if (explain is not null)
        {
            var (_, contributions, _) = await StatisticsReader.ComputeAsync(db, s, agency, prefix, year, format, ct);
            var behind = contributions.Where(c => c.Cell == explain).ToList();
            return Results.Ok(new CellExplanation(explain, behind.Sum(c => c.Value), behind.Select(c => c.Source).OrderBy(x => x.Sequence).ToList()));
        }
        var (tables, position, agencies) = await StatisticsReader.TablesAsync(db, s, cache, agency, prefix, year, format, ct);
        var summed = region is null ? null
            : agencies.Select(a => new SummedAgency(a.Agency, a.Position)).ToList();
        return Results.Ok(new
        {
            agency, region, year, format = tables.Format, asOf = clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)),
            position, proactive = tables.Proactive, requests = tables.Requests, appeals = tables.Appeals, checks = tables.Checks,
            agencies = summed,
        });
    }
}
