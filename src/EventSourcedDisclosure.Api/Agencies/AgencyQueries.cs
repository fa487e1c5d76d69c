using System.Text.Json;
using EventSourcedDisclosure.Domain.Agencies;
using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Items;
using EventSourcedDisclosure.EventStore;
using EventSourcedDisclosure.Api.Hosting;
using Npgsql;

namespace EventSourcedDisclosure.Api.Agencies;

public static class AgencyQueries
{
    private const string Columns = "agency, name, region, index_prefix, index_template, categories, withholding_review_months, version";

    public static async Task<AgencyView?> FindAsync(NpgsqlDataSource db, string schema, string agency, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"select {Columns} from {schema}.agencies where agency = $1");
        command.Parameters.Add(new() { Value = agency });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    public static async Task<Page<AgencyView>> ListAsync(NpgsqlDataSource db, string schema, Paging paging, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            $"select {Columns}, count(*) over () from {schema}.agencies order by agency limit $1 offset $2");
        command.Parameters.Add(new() { Value = paging.PageSize });
        command.Parameters.Add(new() { Value = paging.Offset });
        var items = new List<AgencyView>();
        long total = 0;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            items.Add(Read(reader));
            total = reader.GetInt64(8);
        }
        return paging.Page(items, total);
    }

    /// <summary>The agency's command context, read in a command's stream round trip; 404 when it is not registered.</summary>
    /// <remarks><paramref name="found"/> gets the version of the agency's stream the row reflects.</remarks>
    public static ReadAlongside Context(string schema, string agency, Action<AgencyContext, long> found)
    {
        var command = new NpgsqlBatchCommand($"select {Columns} from {schema}.agencies where agency = $1");
        command.Parameters.Add(new() { Value = agency });
        return new(command, async (reader, ct) =>
        {
            var row = await reader.ReadAsync(ct) ? Read(reader) : throw new NotFound($"No agency '{agency}'.");
            found(ContextOf(row), row.Version);
        });
    }

    private static AgencyContext ContextOf(AgencyView a) =>
        new(a.Id, a.Name, a.IndexPrefix, a.IndexTemplate, a.Categories.Select(c => c.Code).ToList(), a.WithholdingReviewMonths);

    private static AgencyView Read(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
        JsonSerializer.Deserialize<List<CatalogueCategory>>(r.GetString(5), EventTypeRegistry.Json)!, r.GetInt32(6), r.GetInt64(7));
}
