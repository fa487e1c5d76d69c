using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Items;
using static EventSourcedDisclosure.Domain.Tests.Items.ItemFixtures;

namespace EventSourcedDisclosure.Domain.Tests.Items;

public sealed class ItemDeciderTests
{
    private static readonly DateOnly Today = new(2025, 3, 10);

    private static IReadOnlyList<object> PublishNew(Item item, PublishItem command) =>
        ItemDecider.Publish(ItemDecider.PlanPublication(command, item), item, Agency, "lyxjyj/2025-00001");

    [Fact]
    public void Drafting_records_the_content_and_the_drafter()
    {
        var drafted = ItemDecider.Draft(new DraftItem(Id, " 2024年教育经费投入情况 ", "概述", null, null, Written, "计财股", "finance",
            null, ["教育经费"], "other", null, "drafter", Today), Agency).ShouldHaveSingleItem().ShouldBeOfType<ItemDrafted>();
        drafted.Content.Title.ShouldBe("2024年教育经费投入情况");
        drafted.DraftedBy.ShouldBe("drafter");
    }

    [Fact]
    public void Drafting_reports_every_bad_field() =>
        Should.Throw<ValidationFailed>(() => ItemDecider.Draft(new DraftItem(Id, "", "概述", new string('x', ItemDecider.MaxBodyLength + 1),
            null, Today.AddDays(1), "计财股", "sports", null, null, "poem", null, "drafter", Today), Agency))
            .Errors.Keys.ShouldBe(["title", "body", "writtenOn", "category", "genre"], ignoreOrder: true);

    [Fact]
    public void Fee_items_carry_an_amount() =>
        Should.Throw<ValidationFailed>(() => ItemDecider.Draft(new DraftItem(Id, "收费项目", "概述", null, null, Written, "计财股", "finance",
            null, null, "fee", null, "drafter", Today), Agency)).Errors.Keys.ShouldBe(["amount"]);

    [Fact]
    public void Withheld_needs_a_reason_and_a_basis()
    {
        var spec = Spec.Given(Drafted());
        spec.ThenRejected(s => ItemDecider.AssignAttribute(new AssignAttribute("withheld", null, "条例第十四条", false, "drafter", Today), s, Agency),
            ItemRules.WithholdingNeedsReasonAndBasis);
        spec.ThenRejected(s => ItemDecider.AssignAttribute(new AssignAttribute("withheld", "stateSecret", " ", false, "drafter", Today), s, Agency),
            ItemRules.WithholdingNeedsReasonAndBasis);
        var assigned = spec.When(s => ItemDecider.AssignAttribute(
            new AssignAttribute("withheld", "stateSecret", "条例第十四条", false, "drafter", Today), s, Agency))
            .ShouldHaveSingleItem().ShouldBeOfType<ItemAttributeAssigned>();
        assigned.ReviewDueOn.ShouldBe(Today.AddMonths(12));
    }

    [Fact]
    public void On_request_items_are_never_published() =>
        Spec.Given(Drafted(), Attribute(Disclosure.OnRequest), Cleared())
            .ThenRejected(s => PublishNew(s, Publish()), ItemRules.PublicationRequiresProactive);

    [Fact]
    public void Nothing_is_published_before_a_cleared_review() =>
        Spec.Given(Drafted(), Attribute()).ThenRejected(s => PublishNew(s, Publish()), ItemRules.ReviewBeforePublication);

    [Fact]
    public void A_rejected_review_sends_the_item_back_to_draft()
    {
        var spec = Spec.Given(Drafted(), Attribute(), Rejected());
        spec.State.Status.ShouldBe(ItemStatus.Draft);
        spec.ThenRejected(s => PublishNew(s, Publish()), ItemRules.ReviewBeforePublication);
    }

    [Fact]
    public void A_revision_needs_a_new_review_before_it_is_published_again()
    {
        var revised = new ItemRevised(Id, 2, Written.AddDays(5), Content with { Title = "新标题" }, "更正数据", "drafter");
        var spec = Spec.Given(Drafted(), Attribute(), Cleared(), Published(), revised);
        spec.ThenRejected(s => PublishNew(s, Publish()), ItemRules.ReviewBeforePublication);
        var republished = Spec.Given(Drafted(), Attribute(), Cleared(), Published(), revised, Cleared(2))
            .When(s => PublishNew(s, Publish())).ShouldHaveSingleItem().ShouldBeOfType<ItemPublished>();
        republished.Revision.ShouldBe(2);
        republished.IndexNumber.ShouldBe("lyxjyj/2025-00001"); // the index number never changes
        republished.Content.Title.ShouldBe("新标题");
    }

    [Fact]
    public void The_reviewer_is_not_the_drafter() =>
        Spec.Given(Drafted(), Attribute())
            .ThenRejected(s => ItemDecider.Review(new ReviewItem("cleared", "不涉密", "drafter", Today), s), ItemRules.ReviewerIsNotDrafter);

    [Fact]
    public void One_review_per_revision() =>
        Spec.Given(Drafted(), Attribute(), Cleared())
            .ThenRejected(s => ItemDecider.Review(new ReviewItem("cleared", "不涉密", "reviewer2", Today), s), ItemRules.AlreadyReviewed);

    [Fact]
    public void The_attribute_is_fixed_before_the_review() =>
        Spec.Given(Drafted())
            .ThenRejected(s => ItemDecider.Review(new ReviewItem("cleared", "不涉密", "reviewer", Today), s), ItemRules.AttributeBeforeReview);

    [Fact]
    public void An_important_item_needs_approval_after_review_and_before_publication()
    {
        Spec.Given(Drafted(), Attribute(important: true))
            .ThenRejected(s => ItemDecider.Approve(new ApproveItem("approved", "同意", "leader", Today), s), ItemRules.ApprovalAfterReview);
        Spec.Given(Drafted(), Attribute(important: true), Cleared())
            .ThenRejected(s => PublishNew(s, Publish()), ItemRules.ApprovalBeforePublication);
        Spec.Given(Drafted(), Attribute(important: true), Cleared(), Approved())
            .When(s => PublishNew(s, Publish())).ShouldHaveSingleItem().ShouldBeOfType<ItemPublished>();
    }

    [Fact]
    public void The_approver_is_neither_the_drafter_nor_the_reviewer()
    {
        var spec = Spec.Given(Drafted(), Attribute(important: true), Cleared());
        spec.ThenRejected(s => ItemDecider.Approve(new ApproveItem("approved", "同意", "drafter", Today), s), ItemRules.ApproverIsNeitherDrafterNorReviewer);
        spec.ThenRejected(s => ItemDecider.Approve(new ApproveItem("approved", "同意", "reviewer", Today), s), ItemRules.ApproverIsNeitherDrafterNorReviewer);
        spec.When(s => ItemDecider.Approve(new ApproveItem("approved", "同意", "leader", Today), s)).ShouldHaveSingleItem();
    }

    [Fact]
    public void A_rejected_approval_sends_the_item_back_to_draft()
    {
        var spec = Spec.Given(Drafted(), Attribute(important: true), Cleared(),
            new ItemApprovalGiven(Id, 1, ApprovalOutcome.Rejected, "暂缓", "leader", Written));
        spec.State.Status.ShouldBe(ItemStatus.Draft);
        spec.ThenRejected(s => PublishNew(s, Publish()), ItemRules.ReviewBeforePublication);
    }

    [Fact]
    public void Publishing_needs_a_channel() =>
        Spec.Given(Drafted(), Attribute(), Cleared())
            .ThenRejected(s => PublishNew(s, new PublishItem(Written, [], "publisher")), ItemRules.ChannelRequired);

    [Fact]
    public void A_second_channel_adds_to_the_same_publication()
    {
        var spec = Spec.Given(Drafted(), Attribute(), Cleared(), Published());
        var plan = ItemDecider.PlanPublication(Publish("website", "wechat"), spec.State);
        plan.NeedsIndexNumber.ShouldBeFalse();
        var added = ItemDecider.Publish(plan, spec.State, Agency, null).ShouldHaveSingleItem().ShouldBeOfType<ItemPublished>();
        added.NewChannels.ShouldBe([Channel.Wechat]);
        added.Channels.ShouldBe([Channel.Website, Channel.Wechat]);
        added.IndexNumber.ShouldBe("lyxjyj/2025-00001");
        // The same channels again change nothing.
        ItemDecider.Publish(ItemDecider.PlanPublication(Publish("website"), spec.State), spec.State, Agency, null).ShouldBeEmpty();
    }

    [Fact]
    public void Declassification_is_for_withheld_items_and_needs_a_basis()
    {
        Spec.Given(Drafted(), Attribute())
            .ThenRejected(s => ItemDecider.Declassify(new DeclassifyItem(Today, "proactive", "保密期限届满", "officer"), s),
                ItemRules.DeclassificationOnlyOfWithheld);
        Spec.Given(Drafted(), Attribute(Disclosure.Withheld))
            .ThenRejected(s => ItemDecider.Declassify(new DeclassifyItem(Today, "proactive", null, "officer"), s),
                ItemRules.DeclassificationNeedsBasis);
    }

    [Fact]
    public void A_declassified_item_still_passes_review_before_publishing()
    {
        var declassified = new ItemDeclassified(Id, new DateOnly(2025, 3, 1), Disclosure.Proactive, "保密期限届满", "officer");
        var spec = Spec.Given(Drafted(), Attribute(Disclosure.Withheld), Cleared(), declassified);
        spec.State.IsProactive.ShouldBeTrue();
        spec.ThenRejected(s => PublishNew(s, Publish()), ItemRules.ReviewBeforePublication);
    }

    [Fact]
    public void A_withheld_item_changes_only_by_declassification() =>
        Spec.Given(Drafted(), Attribute(Disclosure.Withheld))
            .ThenRejected(s => ItemDecider.AssignAttribute(new AssignAttribute("proactive", null, null, false, "drafter", Today), s, Agency),
                ItemRules.WithheldChangesOnlyByDeclassification);

    [Fact]
    public void A_periodic_review_confirms_a_withheld_item_until_the_next_one()
    {
        var confirmed = Spec.Given(Drafted(), Attribute(Disclosure.Withheld))
            .When(s => ItemDecider.ConfirmWithholding(new ConfirmWithholding(Today, "仍属过程性信息", "officer"), s, Agency))
            .ShouldHaveSingleItem().ShouldBeOfType<ItemWithholdingConfirmed>();
        confirmed.NextReviewDueOn.ShouldBe(Today.AddMonths(12));
        Spec.Given(Drafted(), Attribute())
            .ThenRejected(s => ItemDecider.ConfirmWithholding(new ConfirmWithholding(Today, "x", "officer"), s, Agency),
                ItemRules.WithholdingReviewOnlyOfWithheld);
    }

    [Fact]
    public void Repeal_is_for_published_items_and_ends_all_further_commands()
    {
        Spec.Given(Drafted(), Attribute(), Cleared())
            .ThenRejected(s => ItemDecider.Repeal(new RepealItem(Today, "已被新文件替代", "officer"), s), ItemRules.RepealOnlyPublished);
        var repealed = new ItemRepealed(Id, Today, "已被新文件替代", "officer");
        var spec = Spec.Given(Drafted(), Attribute(), Cleared(), Published(), repealed);
        spec.State.Status.ShouldBe(ItemStatus.Repealed);
        spec.State.InCatalogue.ShouldBeTrue(); // it stays listed, marked 失效
        spec.ThenRejected(s => ItemDecider.Revise(new ReviseItem(Today, "新标题", null, null, "x", "drafter"), s), ItemRules.ItemRepealed);
    }

    [Fact]
    public void Commands_on_a_missing_item_are_not_found() =>
        Should.Throw<NotFound>(() => ItemDecider.Review(new ReviewItem("cleared", "x", "reviewer", Today), Item.Initial));

    [Fact]
    public void The_publication_limit_is_twenty_working_days_from_the_written_date_and_from_each_change()
    {
        var calendar = Domain.Calendar.WorkingCalendar.China;
        var drafted = Spec.Given(Drafted(), Attribute());
        // Written Monday 2025-03-03: 20 working days later is Monday 2025-03-31.
        drafted.State.PublicationDue(calendar)!.Value.Date.ShouldBe(new DateOnly(2025, 3, 31));
        Spec.Given(Drafted(), Attribute(), Cleared(), Published()).State.PublicationDue(calendar).ShouldBeNull();
        var revised = new ItemRevised(Id, 2, new DateOnly(2025, 9, 26), Content, "更正", "drafter");
        // From Friday 2025-09-26: 28 Sep (Sunday) is worked (调休), 1–8 Oct off, 11 Oct (Saturday) worked.
        Spec.Given(Drafted(), Attribute(), Cleared(), Published(), revised).State.PublicationDue(calendar)!.Value.Date
            .ShouldBe(new DateOnly(2025, 10, 30));
        Spec.Given(Drafted(), Attribute(Disclosure.OnRequest)).State.PublicationDue(calendar).ShouldBeNull();
    }
}
