using System.Net;
using EventSourcedDisclosure.Api.Tests.Infrastructure;

namespace EventSourcedDisclosure.Api.Tests.Items;

public sealed class ItemLifecycleTests(ApiFactory api) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private readonly ItemSteps _steps = new(api, "lyxjyj");

    public Task InitializeAsync() => _steps.RegisterAgencyAsync(prefix: "000014349");
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_published_item_gets_an_index_number_and_appears_in_the_public_catalogue()
    {
        var id = await _steps.DraftAsync(ItemSteps.Draft(title: "关于印发2025年学校安全工作要点的通知"));
        await _steps.AttributeAsync(id);
        var reviewed = await _steps.ReviewAsync(id);
        reviewed["status"]!.GetValue<string>().ShouldBe("reviewed");
        var published = await _steps.PublishAsync(id, "2025-03-05", "website", "wechat");
        var indexNumber = published["indexNumber"]!.GetValue<string>();
        indexNumber.ShouldMatch(@"^000014349/2025-\d{5}$");

        var entry = await (await api.Anonymous().GetAsync($"/api/v1/catalogue/{indexNumber}")).BodyAsync();
        entry["title"]!.GetValue<string>().ShouldBe("关于印发2025年学校安全工作要点的通知");
        entry["agencyName"]!.GetValue<string>().ShouldBe("lyxjyj局");
        entry["documentNumber"]!.GetValue<string>().ShouldBe("隆教〔2025〕3号");
        entry["writtenOn"]!.GetValue<string>().ShouldBe("2025-03-03");
        entry["publishedOn"]!.GetValue<string>().ShouldBe("2025-03-05");
        entry["channels"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["website", "wechat"]);
        entry["valid"]!.GetValue<bool>().ShouldBeTrue();

        var view = await (await _steps.Drafter.GetAsync($"{_steps.Items}/{id}")).BodyAsync();
        view["trail"]!.AsArray().Select(t => t!["step"]!.GetValue<string>()).ShouldBe(["attribute", "review"]);
        view["trail"]![1]!["by"]!.GetValue<string>().ShouldBe("reviewer");
        view["trail"]![1]!["outcome"]!.GetValue<string>().ShouldBe("cleared");
        view["trail"]![0]!["outcome"]!.GetValue<string>().ShouldBe("proactive");
    }

    [Fact]
    public async Task A_second_publication_adds_channels_to_the_same_entry()
    {
        var (id, indexNumber) = await _steps.PublishedItemAsync(ItemSteps.Draft(title: "渠道测试通知"));
        var again = await _steps.PublishAsync(id, "2025-03-06", "weibo");
        again["indexNumber"]!.GetValue<string>().ShouldBe(indexNumber);
        again["channels"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["website", "weibo"]);

        var page = await _steps.CatalogueAsync("agency=lyxjyj&q=渠道测试");
        page["total"]!.GetValue<long>().ShouldBe(1);
        page["items"]![0]!["publishedOn"]!.GetValue<string>().ShouldBe("2025-03-05");
    }

    [Fact]
    public async Task A_repealed_item_stays_in_the_catalogue_marked_invalid()
    {
        var (id, indexNumber) = await _steps.PublishedItemAsync(ItemSteps.Draft(title: "将被废止的规范性文件", genre: "normativeDocument"));
        await _steps.OkAsync(_steps.Drafter, id, "repeal", new { repealedOn = "2025-06-30", reason = "已被新文件替代" });
        var entry = await (await api.Anonymous().GetAsync($"/api/v1/catalogue/{indexNumber}")).BodyAsync();
        entry["valid"]!.GetValue<bool>().ShouldBeFalse();
        entry["repealedOn"]!.GetValue<string>().ShouldBe("2025-06-30");
        var before = await _steps.CatalogueAsync("agency=lyxjyj&asOf=2025-06-29&q=将被废止");
        before["items"]![0]!["valid"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task Withdrawing_the_proactive_attribute_removes_the_item_from_the_catalogue()
    {
        var (id, indexNumber) = await _steps.PublishedItemAsync(ItemSteps.Draft(title: "撤回属性测试"));
        await _steps.AttributeAsync(id, "onRequest");
        (await api.Anonymous().GetAsync($"/api/v1/catalogue/{indexNumber}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _steps.CatalogueAsync("agency=lyxjyj&q=撤回属性"))["total"]!.GetValue<long>().ShouldBe(0);
    }

    [Fact]
    public async Task A_revision_stays_off_the_catalogue_until_reviewed_and_republished_under_the_same_index_number()
    {
        var (id, indexNumber) = await _steps.PublishedItemAsync(ItemSteps.Draft(title: "修订前标题"));
        await _steps.OkAsync(_steps.Drafter, id, "revision", new { revisedOn = "2025-04-01", title = "修订后标题", reason = "更正数据" });
        (await _steps.CatalogueAsync("agency=lyxjyj&q=修订前标题"))["total"]!.GetValue<long>().ShouldBe(1);
        await _steps.ReviewAsync(id);
        var republished = await _steps.PublishAsync(id, "2025-04-02");
        republished["indexNumber"]!.GetValue<string>().ShouldBe(indexNumber);
        (await _steps.CatalogueAsync("agency=lyxjyj&q=修订后标题"))["total"]!.GetValue<long>().ShouldBe(1);
        (await _steps.CatalogueAsync("agency=lyxjyj&q=修订前标题"))["total"]!.GetValue<long>().ShouldBe(0);
        Titles(await _steps.CatalogueAsync("agency=lyxjyj&asOf=2025-04-01&q=修订")).ShouldBe(["修订前标题"]);
    }

    [Fact]
    public async Task A_withheld_item_declassified_on_1_March_and_published_on_5_March_shows_from_5_March()
    {
        var id = await _steps.DraftAsync(ItemSteps.Draft(title: "解密后公开的统计资料", writtenOn: "2024-06-03"));
        await _steps.AttributeAsync(id, "withheld", reason: "stateSecret", basis: "条例第十四条");
        await _steps.OkAsync(_steps.Drafter, id, "declassification",
            new { declassifiedOn = "2025-03-01", disclosure = "proactive", basis = "保密期限届满，依法解密" });
        await _steps.ReviewAsync(id);
        await _steps.PublishAsync(id, "2025-03-05");

        Titles(await _steps.CatalogueAsync("agency=lyxjyj&asOf=2025-03-04&q=解密后公开")).ShouldBeEmpty();
        Titles(await _steps.CatalogueAsync("agency=lyxjyj&asOf=2025-03-05&q=解密后公开")).ShouldBe(["解密后公开的统计资料"]);
    }

    [Fact]
    public async Task Overdue_and_review_due_lists_show_what_staff_must_act_on()
    {
        // Written long ago, never published: past its 20 working days.
        var late = await _steps.DraftAsync(ItemSteps.Draft(title: "逾期未公开的信息", writtenOn: "2024-01-02"));
        await _steps.AttributeAsync(late);
        var view = await (await _steps.Drafter.GetAsync($"{_steps.Items}/{late}")).BodyAsync();
        view["publicationDueOn"]!.GetValue<string>().ShouldBe("2024-01-30");
        view["publicationOverdue"]!.GetValue<bool>().ShouldBeTrue();
        var (onTime, _) = await _steps.PublishedItemAsync(ItemSteps.Draft(title: "按时公开的信息"));

        var overdue = await (await _steps.Drafter.GetAsync($"{_steps.Items}?overdue=true&pageSize=500")).BodyAsync();
        var ids = overdue["items"]!.AsArray().Select(i => Guid.Parse(i!["id"]!.GetValue<string>())).ToList();
        ids.ShouldContain(late);
        ids.ShouldNotContain(onTime);

        var withheld = await _steps.DraftAsync(ItemSteps.Draft(title: "内部事务信息"));
        await _steps.AttributeAsync(withheld, "withheld", reason: "internalAffairs", basis: "条例第十六条第一款");
        (await ReviewDueAsync()).ShouldNotContain(withheld);

        api.Clock.Offset = TimeSpan.FromDays(370); // the yearly review (条例第十八条) falls due
        try
        {
            (await ReviewDueAsync()).ShouldContain(withheld);
            var confirmed = await _steps.OkAsync(_steps.Drafter, withheld, "withholding-review",
                new { reviewedOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(370)).ToString("yyyy-MM-dd"), opinion = "仍属内部事务信息" });
            confirmed["trail"]!.AsArray().Last()!["step"]!.GetValue<string>().ShouldBe("withholdingReview");
            (await ReviewDueAsync()).ShouldNotContain(withheld);
        }
        finally { api.Clock.Offset = TimeSpan.Zero; }
    }

    [Fact]
    public async Task Index_numbers_never_change_when_the_agency_is_renamed_and_serials_continue()
    {
        var steps = new ItemSteps(api, "renamed");
        await steps.RegisterAgencyAsync(prefix: "11130525000000001A");
        var (_, first) = await steps.PublishedItemAsync(ItemSteps.Draft(title: "改名前发布"));
        first.ShouldBe("11130525000000001A/2025-00001");

        var renamed = await steps.Drafter.SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/renamed",
            new { name = "新名称局", region = "130525", indexPrefix = "11130525000000002B" });
        renamed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var (_, second) = await steps.PublishedItemAsync(ItemSteps.Draft(title: "改名后发布"));
        second.ShouldBe("11130525000000002B/2025-00002");

        var entry = await (await api.Anonymous().GetAsync($"/api/v1/catalogue/{first}")).BodyAsync();
        entry["indexNumber"]!.GetValue<string>().ShouldBe(first);
        entry["agencyName"]!.GetValue<string>().ShouldBe("renamed局"); // the issuing agency as it was when published
    }

    private async Task<List<Guid>> ReviewDueAsync()
    {
        var due = await (await _steps.Drafter.GetAsync($"{_steps.Items}?reviewDue=true&pageSize=500")).BodyAsync();
        return due["items"]!.AsArray().Select(i => Guid.Parse(i!["id"]!.GetValue<string>())).ToList();
    }

    private static IEnumerable<string> Titles(System.Text.Json.Nodes.JsonNode page) => ItemSteps.Titles(page);
}
