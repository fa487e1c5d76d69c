using EventSourcedDisclosure.Api.Agencies;
using EventSourcedDisclosure.Api.Calendar;
using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.Domain.Calendar;
using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Requests;

namespace EventSourcedDisclosure.Api.Requests;

/// <summary>Gives request commands the calendar in force and today's date, and runs them through the pipeline.</summary>
public sealed class RequestCommandRunner(CommandPipeline pipeline, EventStore.EventStore store,
    AgencyContexts agencies, CalendarProvider calendars, TimeProvider clock)
{
    public delegate IReadOnlyList<object> Decide(Request request, WorkingCalendar calendar, DateOnly today);

    public Task<IResult> RunAsync(HttpContext http, string agency, Guid id, Decide decide) =>
        RunAsync(http, Stream(agency, id), decide, null);

    /// <summary>A request received: its id was just made, so its stream is known not to exist.</summary>
    public Task<IResult> ReceiveAsync(HttpContext http, string agency, Guid id, Decide decide) =>
        RunAsync(http, Stream(agency, id) with { New = true }, decide, null);

    /// <summary>With a view of its own, for commands that answer with part of the request (an appeal).</summary>
    public Task<IResult> RunAsync(HttpContext http, string agency, Guid id, Decide decide, Func<Request, object>? view) =>
        RunAsync(http, Stream(agency, id), decide, view);

    private static StreamRef<Request> Stream(string agency, Guid id) => new(agency, id, "request", Request.Initial, Request.Evolve);

    private async Task<IResult> RunAsync(HttpContext http, StreamRef<Request> stream, Decide decide, Func<Request, object>? view)
    {
        // The agency (404 if unknown) and the calendar in force, read with the request's stream.
        WorkingCalendar calendar = null!;
        var today = clock.Today();
        var agency = stream.Tenant;
        return await pipeline.ExecuteAsync(http, stream,
            r => decide(r, calendar, today),
            (r, version) => new CommandResponse(view?.Invoke(r) ?? RequestView.Of(r, version, calendar, today), $"/api/v1/agencies/{agency}/requests/{r.Id}"),
            [agencies.Context(agency, _ => { }), calendars.Version(store, c => calendar = c)]);
    }
}
