using EventSourcedDisclosure.Domain.Agencies;

namespace EventSourcedDisclosure.Domain.Tests.Agencies;

public sealed class AgencyDeciderTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 9, 0, 0, TimeSpan.FromHours(8));
    private static Spec<Agency> Spec => new(Agency.Initial, AgencyDecider.Evolve);

    private static RegisterAgency Register(string name = "隆尧县教育局", IReadOnlyList<CatalogueCategory>? categories = null) =>
        new("lyxjyj", name, "130525", "lyxjyj", null, categories, Now);

    private static AgencyRegistered Registered(string name = "隆尧县教育局") =>
        new("lyxjyj", name, "130525", "lyxjyj", AgencyDecider.DefaultIndexTemplate, AgencyDecider.DefaultCategories, 12, Now);

    [Fact]
    public void A_new_agency_is_registered_with_the_default_template_and_catalogue()
    {
        var events = Spec.When(s => AgencyDecider.Decide(Register(), s));
        var registered = events.ShouldHaveSingleItem().ShouldBeOfType<AgencyRegistered>();
        registered.IndexTemplate.ShouldBe("{prefix}/{year}-{serial:00000}");
        registered.Categories.Select(c => c.Label).ShouldBe(["机构职能", "政策文件", "规划计划", "财政信息", "人事信息", "行政执法", "重点领域", "其他"]);
    }

    [Fact]
    public void The_same_details_again_change_nothing() =>
        Spec.Given(Registered()).ThenEvents(s => AgencyDecider.Decide(Register(), s));

    [Fact]
    public void New_details_are_a_change_not_a_second_registration()
    {
        var events = Spec.Given(Registered()).When(s => AgencyDecider.Decide(Register("隆尧县教育和体育局"), s));
        events.ShouldHaveSingleItem().ShouldBeOfType<AgencyDetailsChanged>().Name.ShouldBe("隆尧县教育和体育局");
    }

    [Fact]
    public void An_agency_may_extend_its_catalogue()
    {
        var categories = AgencyDecider.DefaultCategories.Append(new CatalogueCategory("schoolSafety", "校园安全")).ToList();
        var events = Spec.Given(Registered()).When(s => AgencyDecider.Decide(Register(categories: categories), s));
        events.ShouldHaveSingleItem().ShouldBeOfType<AgencyDetailsChanged>().Categories.Last().Label.ShouldBe("校园安全");
    }

    [Fact]
    public void Bad_fields_are_all_reported_together() =>
        Spec.ThenInvalid(s => AgencyDecider.Decide(
            new RegisterAgency("Bad Code", " ", "1305", "", "{prefix}", [new("a", "甲"), new("a", "乙")], Now), s),
            "agency", "name", "region", "indexPrefix", "indexTemplate", "categories");
}
