using EventSourcedDisclosure.Api.Agencies;
using EventSourcedDisclosure.Api.Calendar;
using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.Domain.Calendar;
using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Requests;

namespace EventSourcedDisclosure.Api.Requests;

/// <summary>Gives request commands the calendar in force and today's date, and runs them through the pipeline.</summary>
public sealed class RequestCommandRunner(CommandPipeline pipeline, EventStore.EventStore store,
    CalendarProvider calendars, TimeProvider clock)
{
    public delegate IReadOnlyList<object> Decide(Request request, WorkingCalendar calendar, DateOnly today);

    public Task<IResult> RunAsync(HttpContext http, string agency, Guid id, Decide decide) =>
        RunAsync(http, agency, id, decide, null);

    /// <summary>With a view of its own, for commands that answer with part of the request (an appeal).</summary>
    public async Task<IResult> RunAsync(HttpContext http, string agency, Guid id, Decide decide, Func<Request, object>? view)
    {
        // The agency (404 if unknown) and the calendar in force, read with the request's stream.
        WorkingCalendar calendar = null!;
        var today = clock.Today();
        return await pipeline.ExecuteAsync(http, new StreamRef<Request>(agency, id, "request", Request.Initial, Request.Evolve),
            r => decide(r, calendar, today),
            (r, version) => new CommandResponse(view?.Invoke(r) ?? RequestView.Of(r, version, calendar, today), $"/api/v1/agencies/{agency}/requests/{r.Id}"),
            [AgencyQueries.Context(store.Options.Schema, agency, _ => { }), calendars.Version(store, c => calendar = c)]);
    }
}
