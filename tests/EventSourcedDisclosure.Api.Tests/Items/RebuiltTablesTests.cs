using EventSourcedDisclosure.Api.Tests.Infrastructure;
using EventSourcedDisclosure.EventStore.Projections;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EventSourcedDisclosure.Api.Tests.Items;

/// <summary>
/// A by-stream rebuild copies its rows in frozen (COPY FREEZE into the tables it has just
/// created): the rebuilt tables are all-visible at once, so the first vacuum after a rebuild has
/// no page to visit and index-only scans need no vacuum first.
/// </summary>
public sealed class RebuiltTablesTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Every_page_of_a_rebuilt_catalogue_and_item_table_is_all_visible()
    {
        var steps = new ItemSteps(api, "frozen");
        await steps.RegisterAgencyAsync();
        for (var n = 0; n < 40; n++) await steps.PublishedItemAsync(ItemSteps.Draft(title: $"冻结测试{n}"));
        var admin = api.Services.GetRequiredService<ProjectionAdmin>();

        foreach (var (projection, table) in new[] { ("catalogue", "catalogue_entries"), ("items", "items") })
        {
            await admin.RebuildAsync(projection);
            // The rebuild's ANALYZE counts the visibility map's all-visible pages into relallvisible.
            var (pages, visible) = await PagesAsync(table);
            pages.ShouldBeGreaterThan(0, $"{table}: rows on no page would prove nothing");
            visible.ShouldBe(pages, $"{table}: pages all-visible after its rebuild");
        }
    }

    private async Task<(int Pages, int AllVisible)> PagesAsync(string table)
    {
        await using var connection = new NpgsqlConnection(api.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select relpages, relallvisible from pg_class where oid = 'disclosure.{table}'::regclass", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt32(0), reader.GetInt32(1));
    }
}
