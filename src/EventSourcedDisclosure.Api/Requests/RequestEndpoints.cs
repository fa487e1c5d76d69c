using EventSourcedDisclosure.Api.Calendar;
using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.Domain.Requests;
using Npgsql;

namespace EventSourcedDisclosure.Api.Requests;

/// <summary>HTTP for disclosure requests (依申请公开): each endpoint translates a body into a command.</summary>
public static class RequestEndpoints
{
    public static void MapRequests(this IEndpointRouteBuilder api)
    {
        var requests = api.MapGroup("/agencies/{agency}/requests").WithTags("Requests");

        requests.MapPost("/", (string agency, ReceiveBody b, HttpContext http, RequestCommandRunner run) =>
        {
            if (OnlineSubmission.Refusal(http, agency, b.Channel) is { } refusal) return Task.FromResult(refusal);
            var id = Guid.CreateVersion7();
            var code = TrackingCodes.New();
            return run.ReceiveAsync(http, agency, id, (_, calendar, today) => RequestDecider.Receive(new ReceiveRequest(
                id, agency, b.ReceivedOn, b.SubmittedOn, b.Channel, b.Applicant, b.Description, b.Purpose, code, OnlineSubmission.Actor(http), today), calendar));
        }).WithSummary("Record a request as received (第三十一条), or submit one online without an account; answers its tracking code and due date")
            .AllowAnonymous().RequireRateLimiting(OnlineSubmission.RateLimitPolicy)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(64 * 1024));

        requests.MapPost("/{id:guid}/correction-notice", (string agency, Guid id, CorrectionNoticeBody b, HttpContext http, RequestCommandRunner run) =>
            run.RunAsync(http, agency, id, (r, calendar, today) => RequestDecider.RequestCorrection(
                new RequestCorrection(b.NoticeOn, b.CorrectBy, b.Detail, http.User.Actor(), today), r, calendar)))
            .WithSummary("补正告知 (第三十条): once, within 7 working days of receipt")
            .RequireRole(Roles.RequestOfficer);

        requests.MapPost("/{id:guid}/correction", (string agency, Guid id, CorrectionBody b, HttpContext http, RequestCommandRunner run) =>
            run.RunAsync(http, agency, id, (r, calendar, today) => RequestDecider.ReceiveCorrection(
                new ReceiveCorrection(b.CorrectedOn, b.Detail, http.User.Actor(), today), r, calendar)))
            .WithSummary("The corrected request arrived: the answer period runs from this day")
            .RequireRole(Roles.RequestOfficer);

        requests.MapPost("/{id:guid}/consultation", (string agency, Guid id, ConsultationBody b, HttpContext http, RequestCommandRunner run) =>
            run.RunAsync(http, agency, id, (r, _, today) => RequestDecider.StartConsultation(
                new StartConsultation(b.StartedOn, b.ThirdParty, http.User.Actor(), today), r)))
            .WithSummary("征求第三方意见 (第三十二条): the clock pauses until the reply")
            .RequireRole(Roles.RequestOfficer);

        requests.MapPost("/{id:guid}/consultation/reply", (string agency, Guid id, ConsultationReplyBody b, HttpContext http, RequestCommandRunner run) =>
            run.RunAsync(http, agency, id, (r, calendar, today) => RequestDecider.RecordConsultationReply(
                new RecordConsultationReply(b.RepliedOn, b.Opinion, http.User.Actor(), today), r, calendar)))
            .WithSummary("The third party replied: the clock runs again")
            .RequireRole(Roles.RequestOfficer);

        requests.MapPost("/{id:guid}/extension", (string agency, Guid id, ExtensionBody b, HttpContext http, RequestCommandRunner run) =>
            run.RunAsync(http, agency, id, (r, calendar, today) => RequestDecider.Extend(
                new ExtendRequest(b.ExtendedOn, b.WorkingDays, b.ApprovedBy, b.Reason, http.User.Actor(), today), r, calendar)))
            .WithSummary("延期 (第三十三条): once, at most 20 working days, with who approved it and why")
            .RequireRole(Roles.RequestOfficer);

        requests.MapPost("/{id:guid}/fee-notice", (string agency, Guid id, FeeNoticeBody b, HttpContext http, RequestCommandRunner run) =>
            run.RunAsync(http, agency, id, (r, calendar, today) => RequestDecider.IssueFeeNotice(
                new IssueFeeNotice(b.NoticeOn, b.Basis, b.Quantity, b.Amount, http.User.Actor(), today), r, calendar)))
            .WithSummary("信息处理费 收费通知: the amount must follow the tiers of 国办函〔2020〕109号")
            .RequireRole(Roles.RequestOfficer);

        requests.MapPost("/{id:guid}/fee-payment", (string agency, Guid id, FeePaymentBody b, HttpContext http, RequestCommandRunner run) =>
            run.RunAsync(http, agency, id, (r, _, today) => RequestDecider.RecordFeePayment(
                new RecordFeePayment(b.PaidOn, b.Amount, http.User.Actor(), today), r)))
            .WithSummary("The fee was paid")
            .RequireRole(Roles.RequestOfficer);

        requests.MapPost("/{id:guid}/answer", (string agency, Guid id, AnswerBody b, HttpContext http, RequestCommandRunner run) =>
            run.RunAsync(http, agency, id, (r, calendar, today) => RequestDecider.Answer(new AnswerRequest(
                b.AnsweredOn, b.Outcome, b.Reason, b.Detail, b.WithheldParts, b.DisclosedItems, http.User.Actor(), today), r, calendar)))
            .WithSummary("The answer: one outcome and, where the yearly table has sub-rows, one reason")
            .RequireRole(Roles.RequestOfficer);

        requests.MapPost("/{id:guid}/applicant-erasure", (string agency, Guid id, ErasureBody b, HttpContext http, RequestCommandRunner run,
                IConfiguration config) =>
            run.RunAsync(http, agency, id, (r, _, today) => RequestDecider.EraseApplicant(
                new EraseApplicant(b.Reason, PersonalDataKey.RetentionYears(config), http.User.Actor(), today), r)))
            .WithSummary("Erase the applicant's personal data once the request file's retention period has ended (crypto-shredding)")
            .RequireRole(Roles.Admin);

        requests.MapGet("/{id:guid}", async (string agency, Guid id, long? version, DateOnly? asOf, HttpContext http, NpgsqlDataSource db,
                EventStore.EventStore store, CalendarProvider calendars, TimeProvider clock) =>
        {
            var travel = AsOf.From(version, asOf);
            var (request, at) = travel.Requested
                ? await store.FoldAsync(agency, id, Request.Initial, Request.Evolve, travel, http.RequestAborted)
                : await RequestQueries.FindAsync(db, store.Options.Schema, agency, id, http.RequestAborted) is var (found, v) && found is not null ? (found, v) : (Request.Initial, 0L);
            return request.Exists
                ? Results.Ok(RequestView.Of(request, at, await calendars.RefreshAsync(store, http.RequestAborted), travel.Date ?? clock.Today())).WithETag(http, at)
                : Results.NotFound();
        }).WithSummary("One request, staff view; ?version=N or ?asOf=YYYY-MM-DD shows it as it stood then")
            .RequireRole(Readers.Requests);

        requests.MapGet("/{id:guid}/deadline", async (string agency, Guid id, HttpContext http, NpgsqlDataSource db, EventStore.EventStore store,
                CalendarProvider calendars) =>
            await RequestQueries.FindAsync(db, store.Options.Schema, agency, id, http.RequestAborted) is ({ } r, _)
                ? Results.Ok(DeadlineView.Of(r, await calendars.RefreshAsync(store, http.RequestAborted)))
                : Results.NotFound())
            .WithSummary("Why the due date is what it is: the rule, the events that moved it, the holidays stepped over")
            .RequireRole(Readers.Requests);

        requests.MapGet("/", async (string agency, [AsParameters] LedgerFilter filter, NpgsqlDataSource db, EventStore.EventStore store,
                CalendarProvider calendars, TimeProvider clock, HttpContext http) =>
            Results.Ok(await RequestQueries.LedgerAsync(db, store.Options.Schema, agency, filter,
                await calendars.RefreshAsync(store, http.RequestAborted), clock.Today(), http.RequestAborted)))
            .WithSummary("The ledger (台账): ?status=open|dueSoon|overdue|closed|paused|awaitingCorrection|extended&year=")
            .RequireRole(Readers.Requests);

        api.MapGet("/agencies/{agency}/disclosure-candidates", async (string agency, NpgsqlDataSource db, EventStore.EventStore store, CancellationToken ct) =>
            Results.Ok(await RequestQueries.CandidatesAsync(db, store.Options.Schema, agency, ct)))
            .WithTags("Requests").WithSummary("Information asked for by three or more applicants: candidates for proactive disclosure (条例第四十四条)")
            .RequireRole(Readers.Candidates);

        // One answer for unknown and malformed codes alike: the endpoint must not tell which codes exist.
        api.MapGet("/tracking/{code}", async (string code, NpgsqlDataSource db, EventStore.EventStore store, CalendarProvider calendars,
                TimeProvider clock, CancellationToken ct) =>
            TrackingCodes.Normalize(code) is { } normal && await RequestQueries.FindByTrackingCodeAsync(db, store.Options.Schema, normal, ct) is { } r
                ? Results.Ok(Ledger.Tracking(r, await calendars.RefreshAsync(store, ct), clock.Today()))
                : Results.NotFound())
            .AllowAnonymous().WithTags("Tracking").WithSummary("An applicant's progress by tracking code (查询码); no personal data");
    }
}
