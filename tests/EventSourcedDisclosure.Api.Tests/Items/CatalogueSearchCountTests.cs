using EventSourcedDisclosure.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace EventSourcedDisclosure.Api.Tests.Items;

/// <summary>An API whose searches count one match before the total becomes "at least".</summary>
public sealed class SearchCountLimitedApi : ApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Catalogue:SearchCountLimit", "1");
    }
}

public sealed class CatalogueSearchCountTests(SearchCountLimitedApi api) : IClassFixture<SearchCountLimitedApi>, IAsyncLifetime
{
    private readonly ItemSteps _s = new(api, "count");

    public async Task InitializeAsync()
    {
        await _s.RegisterAgencyAsync();
        if ((await _s.CatalogueAsync("agency=count"))["total"]!.GetValue<long>() > 0) return;
        await _s.PublishedItemAsync(ItemSteps.Draft(title: "教育经费公告", summary: "经费"), "2025-03-05");
        await _s.PublishedItemAsync(ItemSteps.Draft(title: "食堂管理通知", summary: "教育系统食堂"), "2025-03-06");
        await _s.PublishedItemAsync(ItemSteps.Draft(title: "教育招生方案", summary: "招生"), "2025-03-07");
        await _s.PublishedItemAsync(ItemSteps.Draft(title: "道路养护", summary: "公路"), "2025-03-08");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_search_past_its_count_limit_says_the_total_is_a_lower_bound_and_pages_still_rank_title_hits_first()
    {
        var q = Uri.EscapeDataString("教育");
        var first = await _s.CatalogueAsync($"agency=count&q={q}&pageSize=1");
        first["total"]!.GetValue<long>().ShouldBe(2); // counted to the limit (the page's end) and one more
        first["totalIsLowerBound"]!.GetValue<bool>().ShouldBeTrue();

        // The last page reaches every match: counted exactly, no flag.
        var last = await _s.CatalogueAsync($"agency=count&q={q}&page=3&pageSize=1");
        last["total"]!.GetValue<long>().ShouldBe(3);
        last.AsObject().ContainsKey("totalIsLowerBound").ShouldBeFalse();

        // Page by page, the same order as one page: title hits newest first, then the summary hit.
        var paged = new List<string>();
        for (var page = 1; page <= 4; page++) paged.AddRange(ItemSteps.Titles(await _s.CatalogueAsync($"agency=count&q={q}&page={page}&pageSize=1")));
        paged.ShouldBe(["教育招生方案", "教育经费公告", "食堂管理通知"]);
        ItemSteps.Titles(await _s.CatalogueAsync($"agency=count&q={q}&pageSize=10")).ShouldBe(paged);
    }

    [Fact]
    public async Task A_database_from_before_the_kept_counts_gets_them_from_its_entries_on_migration()
    {
        await using (var connection = new Npgsql.NpgsqlConnection(api.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var drop = new Npgsql.NpgsqlCommand("drop table disclosure.catalogue_counts", connection);
            await drop.ExecuteNonQueryAsync();
        }
        await api.Services.GetRequiredService<EventStore.EventStore>().MigrateAsync();
        (await _s.CatalogueAsync("agency=count&pageSize=1"))["total"]!.GetValue<long>().ShouldBe(4);
        (await _s.CatalogueAsync("region=130500&pageSize=1"))["total"]!.GetValue<long>().ShouldBe(4);
    }

    [Fact]
    public async Task Lists_without_a_query_count_exactly()
    {
        var page = await _s.CatalogueAsync("agency=count&pageSize=1");
        page["total"]!.GetValue<long>().ShouldBe(4);
        page.AsObject().ContainsKey("totalIsLowerBound").ShouldBeFalse();
    }
}
