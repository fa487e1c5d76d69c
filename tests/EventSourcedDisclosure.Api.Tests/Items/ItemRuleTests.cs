using EventSourcedDisclosure.Api.Tests.Infrastructure;

namespace EventSourcedDisclosure.Api.Tests.Items;

/// <summary>Every item rule over HTTP: 409 with a problem type naming the rule, and the stream unchanged.</summary>
public sealed class ItemRuleTests(ApiFactory api) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private readonly ItemSteps _s = new(api, "rules");

    public Task InitializeAsync() => _s.RegisterAgencyAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task ShouldBreakAsync(Guid id, HttpClient client, string step, object body, string rule)
    {
        var before = (await api.ReadAsync("rules")).Count(e => e.StreamId == id);
        var response = await _s.PostAsync(client, id, step, body);
        await response.ShouldBeProblemAsync(409, ":" + rule);
        (await api.ReadAsync("rules")).Count(e => e.StreamId == id).ShouldBe(before);
    }

    private static object Website => new { publishedOn = "2025-03-05", channels = new[] { "website" } };

    [Fact]
    public async Task Withheld_without_reason_and_basis()
    {
        var id = await _s.DraftAsync();
        await ShouldBreakAsync(id, _s.Drafter, "attribute", new { disclosure = "withheld", important = false }, "withholding-needs-reason-and-basis");
        await ShouldBreakAsync(id, _s.Drafter, "attribute", new { disclosure = "withheld", reason = "stateSecret", important = false },
            "withholding-needs-reason-and-basis");
    }

    [Fact]
    public async Task On_request_items_are_never_published()
    {
        var id = await _s.DraftAsync();
        await _s.AttributeAsync(id, "onRequest");
        await _s.ReviewAsync(id);
        await ShouldBreakAsync(id, _s.Drafter, "publication", Website, "publication-requires-proactive");
    }

    [Fact]
    public async Task Publication_before_review_after_a_rejected_review_and_after_a_revision()
    {
        var id = await _s.DraftAsync();
        await _s.AttributeAsync(id);
        await ShouldBreakAsync(id, _s.Drafter, "publication", Website, "review-before-publication");
        var rejected = await _s.ReviewAsync(id, "rejected");
        rejected["status"]!.GetValue<string>().ShouldBe("draft");
        await ShouldBreakAsync(id, _s.Drafter, "publication", Website, "review-before-publication");
        await _s.ReviewAsync(id);
        await _s.PublishAsync(id);
        await _s.OkAsync(_s.Drafter, id, "revision", new { revisedOn = "2025-03-10", summary = "更正后的概述", reason = "更正" });
        await ShouldBreakAsync(id, _s.Drafter, "publication", Website, "review-before-publication");
    }

    [Fact]
    public async Task The_drafter_does_not_review_and_a_revision_is_reviewed_once()
    {
        var id = await _s.DraftAsync();
        await _s.AttributeAsync(id);
        await ShouldBreakAsync(id, _s.Drafter, "review", new { outcome = "cleared", opinion = "自审" }, "reviewer-is-not-drafter");
        await ShouldBreakAsync(id, _s.Reviewer, "approval", new { outcome = "approved", opinion = "同意" }, "approval-after-review");
        await _s.ReviewAsync(id);
        await ShouldBreakAsync(id, _s.Leader, "review", new { outcome = "cleared", opinion = "再审" }, "already-reviewed");
    }

    [Fact]
    public async Task Review_needs_an_attribute_first()
    {
        var id = await _s.DraftAsync();
        await ShouldBreakAsync(id, _s.Reviewer, "review", new { outcome = "cleared", opinion = "不涉密" }, "attribute-before-review");
    }

    [Fact]
    public async Task An_important_item_is_published_only_after_approval()
    {
        var id = await _s.DraftAsync();
        await _s.AttributeAsync(id, important: true);
        await _s.ReviewAsync(id);
        await ShouldBreakAsync(id, _s.Drafter, "publication", Website, "approval-before-publication");
        await ShouldBreakAsync(id, _s.Reviewer, "approval", new { outcome = "approved", opinion = "同意" }, "approver-is-neither-drafter-nor-reviewer");
        await ShouldBreakAsync(id, _s.Drafter, "approval", new { outcome = "approved", opinion = "同意" }, "approver-is-neither-drafter-nor-reviewer");
        await _s.OkAsync(_s.Leader, id, "approval", new { outcome = "approved", opinion = "同意公开" });
        await _s.PublishAsync(id);
    }

    [Fact]
    public async Task Publishing_needs_a_channel()
    {
        var id = await _s.DraftAsync();
        await _s.AttributeAsync(id);
        await _s.ReviewAsync(id);
        await ShouldBreakAsync(id, _s.Drafter, "publication", new { publishedOn = "2025-03-05", channels = Array.Empty<string>() }, "channel-required");
    }

    [Fact]
    public async Task Declassification_rules()
    {
        var proactive = await _s.DraftAsync();
        await _s.AttributeAsync(proactive);
        await ShouldBreakAsync(proactive, _s.Drafter, "declassification",
            new { declassifiedOn = "2025-03-01", disclosure = "proactive", basis = "到期" }, "declassification-only-of-withheld");
        await ShouldBreakAsync(proactive, _s.Drafter, "withholding-review",
            new { reviewedOn = "2025-03-01", opinion = "维持" }, "withholding-review-only-of-withheld");

        var withheld = await _s.DraftAsync();
        await _s.AttributeAsync(withheld, "withheld", reason: "stateSecret", basis: "条例第十四条");
        await ShouldBreakAsync(withheld, _s.Drafter, "declassification",
            new { declassifiedOn = "2025-03-01", disclosure = "proactive" }, "declassification-needs-basis");
        await ShouldBreakAsync(withheld, _s.Drafter, "attribute", new { disclosure = "proactive", important = false },
            "withheld-changes-only-by-declassification");
    }

    [Fact]
    public async Task Repeal_is_for_published_items_and_ends_the_item()
    {
        var id = await _s.DraftAsync();
        await _s.AttributeAsync(id);
        await ShouldBreakAsync(id, _s.Drafter, "repeal", new { repealedOn = "2025-06-30", reason = "废止" }, "repeal-only-published");
        await _s.ReviewAsync(id);
        await _s.PublishAsync(id);
        await _s.OkAsync(_s.Drafter, id, "repeal", new { repealedOn = "2025-06-30", reason = "废止" });
        await ShouldBreakAsync(id, _s.Drafter, "revision", new { revisedOn = "2025-07-01", title = "新", reason = "x" }, "item-repealed");
    }

    [Fact]
    public async Task Commands_on_an_unknown_item_or_agency_are_404()
    {
        await (await _s.PostAsync(_s.Reviewer, Guid.NewGuid(), "review", new { outcome = "cleared", opinion = "x" })).ShouldBeProblemAsync(404);
        var response = await _s.Drafter.SendJsonAsync(HttpMethod.Post, "/api/v1/agencies/nowhere/items", ItemSteps.Draft());
        await response.ShouldBeProblemAsync(404);
    }
}
