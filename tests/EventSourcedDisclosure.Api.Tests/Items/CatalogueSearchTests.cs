using EventSourcedDisclosure.Api.Tests.Infrastructure;

namespace EventSourcedDisclosure.Api.Tests.Items;

public sealed class CatalogueSearchTests(ApiFactory api) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private readonly ItemSteps _s = new(api, "search");

    public async Task InitializeAsync()
    {
        await _s.RegisterAgencyAsync(region: "130525");
        // xunit runs this per test; the fixture's database is shared by the class: seed once.
        if ((await _s.CatalogueAsync("agency=search"))["total"]!.GetValue<long>() > 0) return;
        await _s.PublishedItemAsync(ItemSteps.Draft(title: "2024年教育经费投入情况", summary: "全县教育经费统计公告"), "2025-03-05");
        await _s.PublishedItemAsync(ItemSteps.Draft(title: "关于学校食堂管理的通知", summary: "加强食堂食品安全，保障教育经费合理使用",
            category: "policy"), "2025-03-06");
        await _s.PublishedItemAsync(ItemSteps.Draft(title: "招生工作方案", summary: "义务教育阶段招生",
            body: "附件：2025年秋季学期义务教育招生划片范围", category: "policy", genre: "normativeDocument"), "2025-03-07");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("教育", 3)]
    [InlineData("经费", 2)]
    [InlineData("教育经费", 2)]
    [InlineData("划片范围", 1)]   // in the body only
    [InlineData("食堂管理的通", 1)] // six characters
    [InlineData("隆教〔2025〕", 3)] // document numbers
    public async Task Chinese_substrings_find_their_items(string q, int expected) =>
        (await _s.CatalogueAsync($"agency=search&q={Uri.EscapeDataString(q)}"))["total"]!.GetValue<long>().ShouldBe(expected);

    [Fact]
    public async Task Title_hits_rank_before_newer_summary_hits()
    {
        var titles = ItemSteps.Titles(await _s.CatalogueAsync("agency=search&q=" + Uri.EscapeDataString("教育经费"))).ToList();
        titles.ShouldBe(["2024年教育经费投入情况", "关于学校食堂管理的通知"]);
    }

    [Fact]
    public async Task A_query_matching_nothing_is_an_empty_page_and_no_query_lists_all_newest_first()
    {
        var none = await _s.CatalogueAsync("agency=search&q=" + Uri.EscapeDataString("高速公路"));
        none["items"]!.AsArray().ShouldBeEmpty();
        none["total"]!.GetValue<long>().ShouldBe(0);
        ItemSteps.Titles(await _s.CatalogueAsync("agency=search&q=")).ShouldBe(["招生工作方案", "关于学校食堂管理的通知", "2024年教育经费投入情况"]);
    }

    [Fact]
    public async Task Filters_and_paging()
    {
        (await _s.CatalogueAsync("agency=search&category=policy"))["total"]!.GetValue<long>().ShouldBe(2);
        (await _s.CatalogueAsync("agency=search&genre=normativeDocument"))["total"]!.GetValue<long>().ShouldBe(1);
        (await _s.CatalogueAsync("region=130500&agency=search"))["total"]!.GetValue<long>().ShouldBe(3); // the city contains the county
        (await _s.CatalogueAsync("region=110000&agency=search"))["total"]!.GetValue<long>().ShouldBe(0);
        (await _s.CatalogueAsync("agency=search&year=2024"))["total"]!.GetValue<long>().ShouldBe(0);
        var page2 = await _s.CatalogueAsync("agency=search&page=2&pageSize=2");
        page2["total"]!.GetValue<long>().ShouldBe(3);
        ItemSteps.Titles(page2).ShouldBe(["2024年教育经费投入情况"]);
        await (await api.Anonymous().GetAsync("/api/v1/catalogue?pageSize=501")).ShouldBeProblemAsync(400);
        await (await api.Anonymous().GetAsync("/api/v1/catalogue?asOf=2025-02-30")).ShouldBeProblemAsync(400);
    }
}
