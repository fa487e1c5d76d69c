using EventSourcedDisclosure.Api.Tests.Infrastructure;

namespace EventSourcedDisclosure.Api.Tests.Items;

/// <summary>
/// A search ignores Latin case, and finds a term across the whole searched text, whether the
/// entry keeps a lowercased copy of it (Latin capitals) or is searched in its columns (none).
/// </summary>
public sealed class CatalogueSearchCaseTests(ApiFactory api) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private readonly ItemSteps _s = new(api, "searchcase");

    public async Task InitializeAsync()
    {
        await _s.RegisterAgencyAsync(region: "130525");
        if ((await _s.CatalogueAsync("agency=searchcase"))["total"]!.GetValue<long>() > 0) return;
        await _s.PublishedItemAsync(ItemSteps.Draft(title: "PPP项目绩效评价报告", summary: "政府和社会资本合作项目", body: "按照财政部PPP综合信息平台要求"), "2025-03-05");
        await _s.PublishedItemAsync(ItemSteps.Draft(title: "农村公路养护计划", summary: "全县农村公路养护", body: "养护资金由县财政统筹安排"), "2025-03-06");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("ppp项目", "PPP项目绩效评价报告")]
    [InlineData("Ppp综合信息", "PPP项目绩效评价报告")]   // in the body, any case
    [InlineData("社会资本合作", "PPP项目绩效评价报告")]
    [InlineData("县财政统筹", "农村公路养护计划")]      // in the body of an entry with nothing to lowercase
    [InlineData("隆教〔2025〕3号", "PPP项目绩效评价报告,农村公路养护计划")]
    public async Task A_term_finds_the_entries_holding_it(string q, string titles) =>
        ItemSteps.Titles(await _s.CatalogueAsync($"agency=searchcase&q={Uri.EscapeDataString(q)}")).Order()
            .ShouldBe(titles.Split(',').Order());

    [Theory]
    [InlineData("3号全县")] // the end of one field (document number) and the start of the next (summary) are not one text
    [InlineData("qqq项目")]
    public async Task A_term_found_nowhere_finds_nothing(string q) =>
        (await _s.CatalogueAsync($"agency=searchcase&q={Uri.EscapeDataString(q)}"))["total"]!.GetValue<long>().ShouldBe(0);
}
