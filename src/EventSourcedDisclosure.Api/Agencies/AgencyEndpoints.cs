using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.Domain.Agencies;
using Npgsql;

namespace EventSourcedDisclosure.Api.Agencies;

public sealed record AgencyBody(string? Name, string? Region, string? IndexPrefix, string? IndexTemplate, CatalogueCategory[]? Categories,
    int? WithholdingReviewMonths);

public sealed record AgencyView(
    string Id, string Name, string Region, string IndexPrefix, string IndexTemplate,
    IReadOnlyList<CatalogueCategory> Categories, int WithholdingReviewMonths, long Version);

public static class AgencyEndpoints
{
    public static void MapAgencies(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/agencies").WithTags("Agencies");

        group.MapPut("/{agency}", (string agency, AgencyBody body, HttpContext http, CommandPipeline pipeline, TimeProvider clock) =>
            pipeline.ExecuteAsync(http, Stream(agency),
                state => AgencyDecider.Decide(new RegisterAgency(agency, body.Name, body.Region, body.IndexPrefix,
                    body.IndexTemplate, body.Categories, clock.GetUtcNow(), body.WithholdingReviewMonths), state),
                (state, version) => new CommandResponse(View((Agency.Registered)state, version), $"/api/v1/agencies/{agency}")))
            .WithSummary("Register an agency (机关) or change its details")
            .RequireRole(Roles.Admin);

        group.MapGet("/{agency}", async (string agency, HttpContext http, NpgsqlDataSource db, EventStore.EventStore store) =>
            await AgencyQueries.FindAsync(db, store.Options.Schema, agency, http.RequestAborted) is { } view
                ? Results.Ok(view).WithETag(http, view.Version)
                : Results.NotFound())
            .WithSummary("One agency")
            .RequireRole(Roles.All);

        group.MapGet("/", async (NpgsqlDataSource db, EventStore.EventStore store, int? page, int? pageSize, HttpContext http) =>
            Results.Ok(await AgencyQueries.ListAsync(db, store.Options.Schema, Paging.Of(page, pageSize), http.RequestAborted)))
            .WithSummary("All agencies")
            .RequireAuthorization(); // the directory of agencies: any signed-in user
    }

    public static StreamRef<Agency> Stream(string agency) =>
        new(agency, AgencyDecider.StreamId(agency), "agency", Agency.Initial, AgencyDecider.Evolve);

    private static AgencyView View(Agency.Registered a, long version) =>
        new(a.Code, a.Details.Name, a.Details.Region, a.Details.IndexPrefix, a.Details.IndexTemplate, a.Details.Categories,
            a.Details.WithholdingReviewMonths, version);
}
