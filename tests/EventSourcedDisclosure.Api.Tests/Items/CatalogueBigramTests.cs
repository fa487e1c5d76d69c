using EventSourcedDisclosure.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EventSourcedDisclosure.Api.Tests.Items;

/// <summary>
/// The search's character pairs are integers (two UTF-16 units side by side): characters outside
/// the basic plane (common in names: 𠀋) are found like any other, and a catalogue from when the
/// pairs were text is converted and rebuilt from the log by the migration.
/// </summary>
public sealed class CatalogueBigramTests(ApiFactory api) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private readonly ItemSteps _s = new(api, "pairs");

    public async Task InitializeAsync()
    {
        await _s.RegisterAgencyAsync();
        if ((await _s.CatalogueAsync("agency=pairs"))["total"]!.GetValue<long>() > 0) return;
        await _s.PublishedItemAsync(ItemSteps.Draft(title: "关于𠀋村道路养护的通知", summary: "道路"), "2025-03-05");
        await _s.PublishedItemAsync(ItemSteps.Draft(title: "教育经费公告", summary: "𠀋村学校经费"), "2025-03-06");
        await _s.PublishedItemAsync(ItemSteps.Draft(title: "食堂管理通知", summary: "食堂"), "2025-03-07");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_character_outside_the_basic_plane_is_found_alone_and_within_a_term_title_hits_first()
    {
        ItemSteps.Titles(await Search("𠀋")).ShouldBe(["关于𠀋村道路养护的通知", "教育经费公告"]);
        ItemSteps.Titles(await Search("𠀋村")).ShouldBe(["关于𠀋村道路养护的通知", "教育经费公告"]);
        ItemSteps.Titles(await Search("村道")).ShouldBe(["关于𠀋村道路养护的通知"]);
        ItemSteps.Titles(await Search("𠀋校")).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_catalogue_whose_pairs_were_text_is_rebuilt_by_the_migration_and_searches_as_before()
    {
        var live = await api.DumpAsync("catalogue_entries");
        var before = ItemSteps.Titles(await Search("通知")).ToList();
        before.Count.ShouldBe(2);
        await using (var connection = new NpgsqlConnection(api.Database.ConnectionString))
        {
            await connection.OpenAsync();
            // The layout before: text pairs, and the title's computed by PostgreSQL.
            await using var old = new NpgsqlCommand("""
                alter table disclosure.catalogue_entries drop column title_bigrams, drop column bigrams;
                alter table disclosure.catalogue_entries add column bigrams text[] not null default '{}';
                create function disclosure.title_bigrams(t text) returns text[] language sql immutable as
                $fn$ select coalesce(array_agg(distinct substr(t, i, 2)), array[]::text[]) from generate_series(1, length(t) - 1) i $fn$;
                alter table disclosure.catalogue_entries add column title_bigrams text[] generated always as (disclosure.title_bigrams(lower(title))) stored;
                """, connection);
            await old.ExecuteNonQueryAsync();
        }
        await api.Services.GetRequiredService<EventStore.EventStore>().MigrateAsync();

        (await api.DumpAsync("catalogue_entries")).ShouldBe(live);
        ItemSteps.Titles(await Search("通知")).ShouldBe(before);
        await using var check = new NpgsqlConnection(api.Database.ConnectionString);
        await check.OpenAsync();
        await using var requests = new NpgsqlCommand("select count(*) from disclosure.store_settings where name like 'rebuild-requested:%'", check);
        ((long)(await requests.ExecuteScalarAsync())!).ShouldBe(0, "the rebuild was asked for once and done");
    }

    private Task<System.Text.Json.Nodes.JsonNode> Search(string q) => _s.CatalogueAsync($"agency=pairs&q={Uri.EscapeDataString(q)}");
}
