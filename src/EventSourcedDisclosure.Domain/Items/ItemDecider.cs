using EventSourcedDisclosure.Domain.Common;

namespace EventSourcedDisclosure.Domain.Items;

/// <summary>The names of the item rules; an HTTP 409 names the one broken.</summary>
public static class ItemRules
{
    public const string WithholdingNeedsReasonAndBasis = "withholding-needs-reason-and-basis";
    public const string WithheldChangesOnlyByDeclassification = "withheld-changes-only-by-declassification";
    public const string AttributeBeforeReview = "attribute-before-review";
    public const string AlreadyReviewed = "already-reviewed";
    public const string ReviewerIsNotDrafter = "reviewer-is-not-drafter";
    public const string ApprovalAfterReview = "approval-after-review";
    public const string ApproverIsNeitherDrafterNorReviewer = "approver-is-neither-drafter-nor-reviewer";
    public const string PublicationRequiresProactive = "publication-requires-proactive";
    public const string ReviewBeforePublication = "review-before-publication";
    public const string ApprovalBeforePublication = "approval-before-publication";
    public const string ChannelRequired = "channel-required";
    public const string DeclassificationOnlyOfWithheld = "declassification-only-of-withheld";
    public const string DeclassificationNeedsBasis = "declassification-needs-basis";
    public const string WithholdingReviewOnlyOfWithheld = "withholding-review-only-of-withheld";
    public const string RepealOnlyPublished = "repeal-only-published";
    public const string ItemRepealed = "item-repealed";
}

/// <summary>Decides item commands from the item's state. Pure: dates and actors come in the commands.</summary>
public static class ItemDecider
{
    /// <summary>条例第二十六条: 自该政府信息形成或者变更之日起20个工作日内及时公开.</summary>
    public const int PublicationLimitWorkingDays = 20;

    public const int MaxBodyLength = 500_000;

    public static Guid StreamId(Guid itemId) => itemId;

    public static IReadOnlyList<object> Draft(DraftItem c, AgencyContext agency)
    {
        var content = ValidContent(c.Title, c.Summary, c.Body, c.DocumentNumber, c.WrittenOn, c.Department, c.Category,
            c.Topic, c.Keywords, c.Genre, c.Amount, c.Today, agency);
        return [new ItemDrafted(c.ItemId, agency.Code, content, c.Actor, c.Today)];
    }

    public static IReadOnlyList<object> AssignAttribute(AssignAttribute c, Item item, AgencyContext agency)
    {
        Live(item);
        var v = new Validation();
        var disclosure = v.Code<Disclosure>(c.Disclosure, "disclosure", required: true);
        var reason = v.Code<WithholdingReason>(c.Reason, "reason", required: false);
        v.Require(c.Basis is null || c.Basis.Length <= 2000, "basis", "is longer than 2000 characters").ThrowIfAny();

        if (disclosure == Disclosure.Withheld && (reason is null || string.IsNullOrWhiteSpace(c.Basis)))
            throw new RuleViolation(ItemRules.WithholdingNeedsReasonAndBasis,
                "不予公开 needs a reason code and its legal basis (条例第十四、十五、十六条).");
        if (item.Attribute is { Disclosure: Disclosure.Withheld } && disclosure != Disclosure.Withheld)
            throw new RuleViolation(ItemRules.WithheldChangesOnlyByDeclassification,
                "A withheld item becomes disclosable only by declassification (解密), with its basis.");
        var attribute = new ItemAttribute(disclosure!.Value, disclosure == Disclosure.Withheld ? reason : null,
            Trimmed(c.Basis), c.Important, c.Today);
        if (item.Attribute is { } current && current with { AssignedOn = c.Today } == attribute) return [];
        return [new ItemAttributeAssigned(item.Id, attribute.Disclosure, attribute.Reason, attribute.Basis, c.Important, c.Today, c.Actor,
            disclosure == Disclosure.Withheld ? c.Today.AddMonths(agency.WithholdingReviewMonths) : null)];
    }

    public static IReadOnlyList<object> Review(ReviewItem c, Item item)
    {
        Live(item);
        var v = new Validation();
        var outcome = v.Code<ReviewOutcome>(c.Outcome, "outcome", required: true);
        v.NotBlank(c.Opinion, "opinion", 2000).ThrowIfAny();
        if (item.Attribute is null)
            throw new RuleViolation(ItemRules.AttributeBeforeReview,
                "The disclosure attribute is fixed at the source (属性源头认定) before the secrecy review.");
        if (item.Cleared)
            throw new RuleViolation(ItemRules.AlreadyReviewed, $"Revision {item.Revision} has already been cleared (一事一审).");
        if (c.Actor == item.DraftedBy)
            throw new RuleViolation(ItemRules.ReviewerIsNotDrafter, "The drafter may not review their own item (四眼原则).");
        return [new ItemReviewed(item.Id, item.Revision, outcome!.Value, c.Opinion!.Trim(), c.Actor, c.Today)];
    }

    public static IReadOnlyList<object> Approve(ApproveItem c, Item item)
    {
        Live(item);
        var v = new Validation();
        var outcome = v.Code<ApprovalOutcome>(c.Outcome, "outcome", required: true);
        v.NotBlank(c.Opinion, "opinion", 2000).ThrowIfAny();
        if (!item.Cleared)
            throw new RuleViolation(ItemRules.ApprovalAfterReview, "Approval comes after a cleared secrecy review of the current revision.");
        var reviewer = item.Trail.LastOrDefault(t => t.Step == "review" && t.Revision == item.Revision)?.By;
        if (c.Actor == item.DraftedBy || c.Actor == reviewer)
            throw new RuleViolation(ItemRules.ApproverIsNeitherDrafterNorReviewer,
                "The leader who approves (分管领导) is neither the drafter nor the secrecy reviewer of this revision.");
        return [new ItemApprovalGiven(item.Id, item.Revision, outcome!.Value, c.Opinion!.Trim(), c.Actor, c.Today)];
    }

    /// <summary>What a publication will do, once it is allowed: the endpoint reserves a serial when one is needed.</summary>
    public sealed record PublicationPlan(DateOnly PublishedOn, IReadOnlyList<Channel> NewChannels, bool NeedsIndexNumber)
    {
        public bool ChangesNothing => NewChannels.Count == 0;
    }

    public static PublicationPlan PlanPublication(PublishItem c, Item item)
    {
        Live(item);
        var v = new Validation();
        v.Require(c.PublishedOn is not null, "publishedOn", "is required");
        var channels = new List<Channel>();
        foreach (var code in c.Channels ?? [])
            if (Codes.TryParse<Channel>(code, out var channel)) channels.Add(channel);
            else v.Require(false, "channels", $"'{code}' is not a channel code");
        v.ThrowIfAny();

        if (channels.Count == 0)
            throw new RuleViolation(ItemRules.ChannelRequired, "A publication names at least one channel.");
        if (!item.IsProactive)
            throw new RuleViolation(ItemRules.PublicationRequiresProactive,
                "Only items whose attribute is 主动公开 are published in the catalogue.");
        if (!item.Cleared)
            throw new RuleViolation(ItemRules.ReviewBeforePublication,
                $"Revision {item.Revision} has no cleared secrecy review (先审查后公开).");
        if (item.Attribute!.Important && !item.Approved)
            throw new RuleViolation(ItemRules.ApprovalBeforePublication,
                "An important item needs the approval of the leader in charge (分管领导) before it is published.");

        // "不同渠道和方式公开相同信息计1条": a further channel adds to the same publication.
        var already = item.CurrentRevisionPublished ? item.Channels : [];
        var added = channels.Distinct().Where(ch => !already.Contains(ch)).ToList();
        return new PublicationPlan(c.PublishedOn!.Value, added, item.IndexNumber is null && added.Count > 0);
    }

    public static IReadOnlyList<object> Publish(PublicationPlan plan, Item item, AgencyContext agency, string? newIndexNumber)
    {
        if (plan.ChangesNothing) return [];
        var indexNumber = item.IndexNumber ?? newIndexNumber
            ?? throw new InvalidOperationException("A first publication needs an index number.");
        var channels = (item.CurrentRevisionPublished ? item.Channels : []).Concat(plan.NewChannels).ToList();
        return [new ItemPublished(item.Id, item.Revision, plan.PublishedOn, plan.NewChannels, channels, indexNumber,
            agency.Name, item.Content!, item.Attribute!.Basis)];
    }

    public static IReadOnlyList<object> Declassify(DeclassifyItem c, Item item)
    {
        Live(item);
        var v = new Validation();
        v.Require(c.DeclassifiedOn is not null, "declassifiedOn", "is required");
        var disclosure = v.Code<Disclosure>(c.Disclosure, "disclosure", required: true);
        v.Require(disclosure is not Disclosure.Withheld, "disclosure", "must be proactive or onRequest")
            .Require(c.Basis is null || c.Basis.Length <= 2000, "basis", "is longer than 2000 characters").ThrowIfAny();
        if (item.Attribute is not { Disclosure: Disclosure.Withheld })
            throw new RuleViolation(ItemRules.DeclassificationOnlyOfWithheld, "Only a withheld (不予公开) item is declassified.");
        if (string.IsNullOrWhiteSpace(c.Basis))
            throw new RuleViolation(ItemRules.DeclassificationNeedsBasis, "Declassification (解密) records its basis.");
        return [new ItemDeclassified(item.Id, c.DeclassifiedOn!.Value, disclosure!.Value, c.Basis.Trim(), c.Actor)];
    }

    public static IReadOnlyList<object> ConfirmWithholding(ConfirmWithholding c, Item item, AgencyContext agency)
    {
        Live(item);
        new Validation().Require(c.ReviewedOn is not null, "reviewedOn", "is required").NotBlank(c.Opinion, "opinion", 2000).ThrowIfAny();
        if (item.Attribute is not { Disclosure: Disclosure.Withheld })
            throw new RuleViolation(ItemRules.WithholdingReviewOnlyOfWithheld, "Only a withheld item has a periodic review (条例第十八条).");
        return [new ItemWithholdingConfirmed(item.Id, c.ReviewedOn!.Value, c.Opinion!.Trim(), c.Actor,
            c.ReviewedOn.Value.AddMonths(agency.WithholdingReviewMonths))];
    }

    public static IReadOnlyList<object> Revise(ReviseItem c, Item item)
    {
        Live(item);
        var v = new Validation()
            .Require(c.RevisedOn is not null, "revisedOn", "is required")
            .NotBlank(c.Reason, "reason", 2000)
            .Require(c.Title is not null || c.Summary is not null || c.Body is not null, "title", "a revision changes the title, summary or body");
        if (c.Title is not null) v.NotBlank(c.Title, "title", 300);
        if (c.Summary is not null) v.NotBlank(c.Summary, "summary", 2000);
        v.Require(c.Body is null || c.Body.Length <= MaxBodyLength, "body", $"is longer than {MaxBodyLength} characters").ThrowIfAny();
        var content = item.Content! with
        {
            Title = c.Title?.Trim() ?? item.Content!.Title,
            Summary = c.Summary?.Trim() ?? item.Content!.Summary,
            Body = c.Body ?? item.Content!.Body,
        };
        return [new ItemRevised(item.Id, item.Revision + 1, c.RevisedOn!.Value, content, c.Reason!.Trim(), c.Actor)];
    }

    public static IReadOnlyList<object> Repeal(RepealItem c, Item item)
    {
        Live(item);
        new Validation().Require(c.RepealedOn is not null, "repealedOn", "is required").NotBlank(c.Reason, "reason", 2000).ThrowIfAny();
        if (!item.IsPublished)
            throw new RuleViolation(ItemRules.RepealOnlyPublished, "Only a published item is repealed (废止/失效).");
        return [new ItemRepealed(item.Id, c.RepealedOn!.Value, c.Reason!.Trim(), c.Actor)];
    }

    private static void Live(Item item)
    {
        if (!item.Exists) throw new NotFound("No such item.");
        if (item.IsRepealed)
            throw new RuleViolation(ItemRules.ItemRepealed, $"The item was repealed on {item.RepealedOn:yyyy-MM-dd}.");
    }

    private static string? Trimmed(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static ItemContent ValidContent(string? title, string? summary, string? body, string? documentNumber,
        DateOnly? writtenOn, string? department, string? category, string? topic, IReadOnlyList<string>? keywords,
        string? genreCode, decimal? amount, DateOnly today, AgencyContext agency)
    {
        var v = new Validation()
            .NotBlank(title, "title", 300)
            .NotBlank(summary, "summary", 2000)
            .Require(body is null || body.Length <= MaxBodyLength, "body", $"is longer than {MaxBodyLength} characters")
            .Require(documentNumber is null || documentNumber.Length <= 100, "documentNumber", "is longer than 100 characters")
            .Require(writtenOn is not null, "writtenOn", "is required")
            .Require(writtenOn is null || writtenOn <= today, "writtenOn", "is in the future")
            .NotBlank(department, "department", 100)
            .Require(category is not null && agency.Categories.Contains(category), "category",
                $"must be one of the agency's catalogue categories: {string.Join(", ", agency.Categories)}")
            .Require(topic is null || topic.Length <= 100, "topic", "is longer than 100 characters")
            .Require(keywords is null || (keywords.Count <= 20 && keywords.All(k => !string.IsNullOrWhiteSpace(k) && k.Length <= 50)),
                "keywords", "at most 20 keywords of at most 50 characters");
        var genre = v.Code<Genre>(genreCode, "genre", required: true);
        v.Require(genre is not (Genre.Fee or Genre.Procurement) || amount is >= 0, "amount", "is required (yuan) for fee and procurement items")
            .Require(amount is null or >= 0, "amount", "must not be negative")
            .ThrowIfAny();
        return new ItemContent(title!.Trim(), summary!.Trim(), body, Trimmed(documentNumber), writtenOn!.Value, department!.Trim(),
            category!, Trimmed(topic), keywords?.Select(k => k.Trim()).ToList() ?? [], genre!.Value, amount);
    }
}
