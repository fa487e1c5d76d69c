using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.Domain.Calendar;
using EventSourcedDisclosure.Domain.Requests;
using EventSourcedDisclosure.EventStore;

namespace EventSourcedDisclosure.Api.Calendar;

public sealed record CalendarYearBody(DateOnly[]? Holidays, DateOnly[]? Workdays, string? Source);

public sealed record CalendarYearView(int Year, bool Known, IReadOnlyList<DateOnly> Holidays, IReadOnlyList<DateOnly> Workdays, int RequestsRecomputed);

public static class CalendarEndpoints
{
    public static void MapCalendar(this IEndpointRouteBuilder api)
    {
        var calendar = api.MapGroup("/calendar").WithTags("Calendar");

        calendar.MapGet("/{year:int}", async (int year, CalendarProvider provider, EventStore.EventStore store, CancellationToken ct) =>
        {
            var current = await provider.RefreshAsync(store, ct);
            var days = Enumerable.Range(0, DateTime.IsLeapYear(year) ? 366 : 365).Select(i => new DateOnly(year, 1, 1).AddDays(i)).ToList();
            return Results.Ok(new CalendarYearView(year, current.IsKnownYear(year),
                days.Where(d => !current.IsWorkingDay(d) && d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).ToList(),
                days.Where(d => current.IsWorkingDay(d) && d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday).ToList(), 0));
        }).WithSummary("A year's holidays on weekdays and make-up working weekend days, and whether a notice is known")
            .RequireRole(Roles.All);

        calendar.MapPut("/{year:int}", (int year, CalendarYearBody body, HttpContext http, CalendarAmendment amendment) =>
            amendment.SetAsync(http, new SetCalendarYear(year, body.Holidays, body.Workdays, body.Source, http.User.Actor())))
            .WithSummary("Set a year's holidays and make-up working days (a State Council notice); open requests' due dates are recomputed")
            .RequireRole(Roles.Admin);
    }
}

/// <summary>
/// Records a calendar year and, in the same transaction, a recomputation on every open request
/// whose due date moves. Closed requests keep the date that was in force when they were answered.
/// </summary>
public sealed class CalendarAmendment(EventStore.EventStore store, CalendarProvider provider)
{
    public async Task<IResult> SetAsync(HttpContext http, SetCalendarYear command)
    {
        var ct = http.RequestAborted;
        await provider.RefreshAsync(store, ct);
        var events = CalendarDecider.Set(command, provider.Years);
        if (events.Count == 0) return Results.Ok(new { year = command.Year, changed = false, requestsRecomputed = 0 });

        var calendar = CalendarDecider.Build(provider.Years.Concat(events.OfType<CalendarYearSet>()));
        await using var session = await store.OpenSessionAsync(ct);
        // Locking the calendar first serialises amendments; requests are locked as each is appended.
        var version = await session.LockStreamAsync(CalendarDecider.Tenant, CalendarDecider.StreamId, ct);
        await session.AppendAsync(CalendarDecider.Tenant, CalendarDecider.StreamId, "calendar", ExpectedVersion.Exactly(version),
            events, http.EventMetadata(), ct: ct);
        var recomputed = 0;
        foreach (var (tenant, id) in await Requests.RequestQueries.OpenRequestsAsync(session, store.Options.Schema, ct))
        {
            var (request, at) = await store.AggregateStreamAsync(tenant, id, Request.Initial, Request.Evolve, ct: ct);
            var moved = RequestDecider.Recompute(request, calendar, command.Year);
            if (moved.Count == 0) continue;
            await session.AppendAsync(tenant, id, "request", ExpectedVersion.Exactly(at), moved, http.EventMetadata(), ct: ct);
            recomputed++;
        }
        await session.CommitAsync(ct);
        await provider.RefreshAsync(store, ct);
        return Results.Ok(new { year = command.Year, changed = true, requestsRecomputed = recomputed });
    }
}
