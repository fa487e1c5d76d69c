using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.Domain.Appeals;
using EventSourcedDisclosure.Domain.Common;

namespace EventSourcedDisclosure.Api.Requests;

public sealed record FileReconsiderationBody(DateOnly? FiledOn);
public sealed record FileLawsuitBody(DateOnly? FiledOn, bool? AfterReconsideration);
public sealed record AppealDecisionBody(DateOnly? DecidedOn, string? Result);

public sealed record AppealView(Guid Id, Guid RequestId, string Kind, DateOnly FiledOn, bool AfterReconsideration, DateOnly? DecidedOn, string? Result);

/// <summary>行政复议 and 行政诉讼 on a request (table 四 of the yearly report).</summary>
public static class AppealEndpoints
{
    public static void MapAppeals(this IEndpointRouteBuilder api)
    {
        var requests = api.MapGroup("/agencies/{agency}/requests/{id:guid}").WithTags("Reconsideration and litigation");

        requests.MapPost("/reconsiderations", (string agency, Guid id, FileReconsiderationBody b, HttpContext http, RequestCommandRunner run) =>
        {
            var appeal = Guid.CreateVersion7();
            return run.RunAsync(http, agency, id, (r, _, today) => AppealDecider.File(
                new FileAppeal(appeal, AppealKind.Reconsideration, b.FiledOn, null, http.User.Actor(), today), r), r => View(r, appeal));
        }).WithSummary("A reconsideration (行政复议) was filed")
            .RequireRole(Roles.RequestOfficer);

        requests.MapPost("/reconsiderations/{appeal:guid}/decision", (string agency, Guid id, Guid appeal, AppealDecisionBody b, HttpContext http, RequestCommandRunner run) =>
            run.RunAsync(http, agency, id, (r, _, today) => AppealDecider.Decide(
                new DecideAppeal(appeal, AppealKind.Reconsideration, b.DecidedOn, b.Result, http.User.Actor(), today), r), r => View(r, appeal)))
            .WithSummary("The reconsideration was decided: upheld (维持), corrected (纠正) or other (其他结果)")
            .RequireRole(Roles.RequestOfficer);

        requests.MapPost("/lawsuits", (string agency, Guid id, FileLawsuitBody b, HttpContext http, RequestCommandRunner run) =>
        {
            var appeal = Guid.CreateVersion7();
            return run.RunAsync(http, agency, id, (r, _, today) => AppealDecider.File(
                new FileAppeal(appeal, AppealKind.Lawsuit, b.FiledOn, b.AfterReconsideration, http.User.Actor(), today), r), r => View(r, appeal));
        }).WithSummary("A lawsuit (行政诉讼) was filed, directly or after a reconsideration decision")
            .RequireRole(Roles.RequestOfficer);

        requests.MapPost("/lawsuits/{appeal:guid}/decision", (string agency, Guid id, Guid appeal, AppealDecisionBody b, HttpContext http, RequestCommandRunner run) =>
            run.RunAsync(http, agency, id, (r, _, today) => AppealDecider.Decide(
                new DecideAppeal(appeal, AppealKind.Lawsuit, b.DecidedOn, b.Result, http.User.Actor(), today), r), r => View(r, appeal)))
            .WithSummary("The lawsuit was decided")
            .RequireRole(Roles.RequestOfficer);
    }

    private static object View(Domain.Requests.Request r, Guid appeal) =>
        r.Appeals.Where(a => a.Id == appeal)
            .Select(a => new AppealView(a.Id, r.Id, Codes.Of(a.Kind), a.FiledOn, a.AfterReconsideration, a.DecidedOn, a.Result is { } x ? Codes.Of(x) : null))
            .Single();
}
