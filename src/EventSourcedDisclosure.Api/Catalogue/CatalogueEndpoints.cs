using EventSourcedDisclosure.Api.Hosting;
using Npgsql;

namespace EventSourcedDisclosure.Api.Catalogue;

public sealed record CatalogueFilter(
    string? Agency, string? Region, string? Category, string? Topic, string? Genre, int? Year, string? Q, DateOnly? AsOf,
    int? Page, int? PageSize);

public static class CatalogueEndpoints
{
    public static void MapCatalogue(this IEndpointRouteBuilder api)
    {
        var catalogue = api.MapGroup("/catalogue").WithTags("Public catalogue").AllowAnonymous();

        var countLimit = api.ServiceProvider.GetRequiredService<IConfiguration>()
            .GetValue("Catalogue:SearchCountLimit", CatalogueQueries.DefaultSearchCountLimit);
        catalogue.MapGet("/", async ([AsParameters] CatalogueFilter filter, NpgsqlDataSource db, EventStore.EventStore store, CancellationToken ct) =>
            Results.Ok(await CatalogueQueries.SearchAsync(db, store.Options.Schema, filter, ct, countLimit)))
            .WithSummary("The public catalogue (公开目录): newest first; q is a Chinese full-text query; asOf=YYYY-MM-DD shows a past day");

        catalogue.MapGet("/{**indexNumber}", async (string indexNumber, NpgsqlDataSource db, EventStore.EventStore store, CancellationToken ct) =>
            await CatalogueQueries.FindAsync(db, store.Options.Schema, indexNumber, ct) is { } entry ? Results.Ok(entry) : Results.NotFound())
            .WithSummary("One catalogue entry by its index number (索引号)");
    }
}
