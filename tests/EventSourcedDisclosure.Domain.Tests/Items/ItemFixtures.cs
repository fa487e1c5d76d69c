using EventSourcedDisclosure.Domain.Items;

namespace EventSourcedDisclosure.Domain.Tests.Items;

/// <summary>Given-events for item specs: one item of 隆尧县教育局 drafted by "drafter".</summary>
public static class ItemFixtures
{
    public static readonly Guid Id = new("0190a000-0000-7000-8000-000000000001");
    public static readonly DateOnly Written = new(2025, 3, 3);
    public static readonly AgencyContext Agency = new("lyxjyj", "隆尧县教育局", "lyxjyj", "{prefix}/{year}-{serial:00000}",
        ["policy", "finance", "other"]);

    public static readonly ItemContent Content = new("2024年教育经费投入情况", "全县教育经费投入统计", "正文", "隆教〔2025〕3号",
        Written, "计财股", "finance", null, ["教育经费"], Genre.Other, null);

    public static Spec<Item> Spec => new(Item.Initial, Item.Evolve);

    public static ItemDrafted Drafted() => new(Id, "lyxjyj", Content, "drafter", Written);

    public static ItemAttributeAssigned Attribute(Disclosure d = Disclosure.Proactive, bool important = false) =>
        new(Id, d, d == Disclosure.Withheld ? WithholdingReason.ProcessInformation : null,
            d == Disclosure.Withheld ? "条例第十六条第二款" : null, important, Written, "drafter",
            d == Disclosure.Withheld ? Written.AddMonths(12) : null);

    public static ItemReviewed Cleared(int revision = 1) => new(Id, revision, ReviewOutcome.Cleared, "不涉密", "reviewer", Written);

    public static ItemReviewed Rejected() => new(Id, 1, ReviewOutcome.Rejected, "涉及个人信息", "reviewer", Written);

    public static ItemApprovalGiven Approved() => new(Id, 1, ApprovalOutcome.Approved, "同意公开", "leader", Written);

    public static ItemPublished Published(int revision = 1, params Channel[] channels) =>
        new(Id, revision, Written.AddDays(2), channels.Length > 0 ? channels : [Channel.Website],
            channels.Length > 0 ? channels : [Channel.Website], "lyxjyj/2025-00001", "隆尧县教育局", Content, null);

    public static PublishItem Publish(params string[] channels) =>
        new(Written.AddDays(3), channels.Length > 0 ? channels : ["website"], "publisher");
}
