using EventSourcedDisclosure.Api.Agencies;
using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.Domain.Calendar;
using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Items;
using EventSourcedDisclosure.EventStore;
using Npgsql;

namespace EventSourcedDisclosure.Api.Items;

/// <summary>HTTP for information items: each endpoint translates a body into a command; the decider decides.</summary>
public static class ItemEndpoints
{
    public static void MapItems(this IEndpointRouteBuilder api)
    {
        var items = api.MapGroup("/agencies/{agency}/items").WithTags("Items");

        items.MapPost("/", (string agency, DraftBody b, HttpContext http, ItemCommandRunner run) =>
            run.CreateAsync(http, agency, Guid.CreateVersion7(), (id, ctx, today) => ItemDecider.Draft(new DraftItem(
                id, b.Title, b.Summary, b.Body, b.DocumentNumber, b.WrittenOn, b.Department, b.Category, b.Topic, b.Keywords,
                b.Genre, b.Amount, http.User.Actor(), today), ctx)))
            .WithSummary("Draft an information item (拟稿)")
            .RequireRole(Roles.Drafter);

        items.MapPost("/{id:guid}/attribute", (string agency, Guid id, AttributeBody b, HttpContext http, ItemCommandRunner run) =>
            run.RunAsync(http, agency, id, (item, ctx, today) => ItemDecider.AssignAttribute(
                new AssignAttribute(b.Disclosure, b.Reason, b.Basis, b.Important, http.User.Actor(), today), item, ctx)))
            .WithSummary("Assign the disclosure attribute (属性源头认定)")
            .RequireRole(Roles.Drafter);

        items.MapPost("/{id:guid}/review", (string agency, Guid id, OutcomeBody b, HttpContext http, ItemCommandRunner run) =>
            run.RunAsync(http, agency, id, (item, _, today) => ItemDecider.Review(
                new ReviewItem(b.Outcome, b.Opinion, http.User.Actor(), today), item)))
            .WithSummary("Record the secrecy review (保密审查)")
            .RequireRole(Roles.Reviewer);

        items.MapPost("/{id:guid}/approval", (string agency, Guid id, OutcomeBody b, HttpContext http, ItemCommandRunner run) =>
            run.RunAsync(http, agency, id, (item, _, today) => ItemDecider.Approve(
                new ApproveItem(b.Outcome, b.Opinion, http.User.Actor(), today), item)))
            .WithSummary("Record the approval of the leader in charge (分管领导审批)")
            .RequireRole(Roles.Approver);

        items.MapPost("/{id:guid}/publication", (string agency, Guid id, PublicationBody b, HttpContext http, ItemCommandRunner run) =>
            run.PublishAsync(http, agency, id, new PublishItem(b.PublishedOn, b.Channels, http.User.Actor())))
            .WithSummary("Publish on one or more channels; the first publication issues the index number (索引号)")
            .RequireRole(Roles.Publisher);

        items.MapPost("/{id:guid}/declassification", (string agency, Guid id, DeclassificationBody b, HttpContext http, ItemCommandRunner run) =>
            run.RunAsync(http, agency, id, (item, _, _) => ItemDecider.Declassify(
                new DeclassifyItem(b.DeclassifiedOn, b.Disclosure, b.Basis, http.User.Actor()), item)))
            .WithSummary("Declassify a withheld item (解密)")
            .RequireRole(Roles.Reviewer);

        items.MapPost("/{id:guid}/withholding-review", (string agency, Guid id, WithholdingReviewBody b, HttpContext http, ItemCommandRunner run) =>
            run.RunAsync(http, agency, id, (item, ctx, _) => ItemDecider.ConfirmWithholding(
                new ConfirmWithholding(b.ReviewedOn, b.Opinion, http.User.Actor()), item, ctx)))
            .WithSummary("Periodic review of a withheld item that stays withheld (条例第十八条 定期评估审查)")
            .RequireRole(Roles.Reviewer);

        items.MapPost("/{id:guid}/revision", (string agency, Guid id, RevisionBody b, HttpContext http, ItemCommandRunner run) =>
            run.RunAsync(http, agency, id, (item, _, _) => ItemDecider.Revise(
                new ReviseItem(b.RevisedOn, b.Title, b.Summary, b.Body, b.Reason, http.User.Actor()), item)))
            .WithSummary("Revise the content; it needs a new review before it is published again")
            .RequireRole(Roles.Drafter);

        items.MapPost("/{id:guid}/repeal", (string agency, Guid id, RepealBody b, HttpContext http, ItemCommandRunner run) =>
            run.RunAsync(http, agency, id, (item, _, _) => ItemDecider.Repeal(
                new RepealItem(b.RepealedOn, b.Reason, http.User.Actor()), item)))
            .WithSummary("Repeal a published item (废止/失效); it stays in the catalogue marked invalid")
            .RequireRole(Roles.Approver);

        items.MapGet("/{id:guid}", async (string agency, Guid id, long? version, DateOnly? asOf, HttpContext http, NpgsqlDataSource db,
                EventStore.EventStore store, WorkingCalendar calendar, TimeProvider clock) =>
        {
            var travel = AsOf.From(version, asOf);
            var (item, at) = travel.Requested
                ? await store.FoldAsync(agency, id, Item.Initial, Item.Evolve, travel, http.RequestAborted)
                : await ItemQueries.FindAsync(db, store.Options.Schema, agency, id, http.RequestAborted) is var (found, v) && found is not null ? (found, v) : (Item.Initial, 0L);
            return item.Exists
                ? Results.Ok(ItemView.Of(item, at, calendar, travel.Date ?? clock.Today())).WithETag(http, at)
                : Results.NotFound();
        }).WithSummary("One item, internal view; ?version=N or ?asOf=YYYY-MM-DD shows it as it stood then")
            .RequireRole(Readers.Items);

        items.MapGet("/", async (string agency, [AsParameters] ItemFilter filter, NpgsqlDataSource db, EventStore.EventStore store,
                WorkingCalendar calendar, TimeProvider clock, HttpContext http) =>
            Results.Ok(await ItemQueries.ListAsync(db, store.Options.Schema, agency, filter, calendar, clock.Today(), http.RequestAborted)))
            .WithSummary("Items for staff: ?status=&category=&genre=&year=&overdue=true&reviewDue=true")
            .RequireRole(Readers.Items);
    }
}
