using EventSourcedDisclosure.Domain.Common;

namespace EventSourcedDisclosure.Domain.Calendar;

/// <summary>An operator set a year's holidays and make-up working days (a new or amended State Council notice).</summary>
public sealed record CalendarYearSet(int Year, IReadOnlyList<DateOnly> Holidays, IReadOnlyList<DateOnly> Workdays, string Source, string SetBy);

public sealed record SetCalendarYear(int Year, IReadOnlyList<DateOnly>? Holidays, IReadOnlyList<DateOnly>? Workdays, string? Source, string Actor);

/// <summary>The calendar stream: one per installation, tenant "*" (it belongs to no agency).</summary>
public static class CalendarDecider
{
    public const string Tenant = "*";
    public static readonly Guid StreamId = DeterministicId.For("calendar", "cn");

    public static IReadOnlyList<object> Set(SetCalendarYear c, IReadOnlyList<CalendarYearSet> current)
    {
        var holidays = c.Holidays ?? [];
        var workdays = c.Workdays ?? [];
        new Validation()
            .Require(c.Year is >= 2019 and <= 2100, "year", "must be 2019–2100")
            .NotBlank(c.Source, "source", 1000)
            .Require(holidays.Concat(workdays).All(d => d.Year >= c.Year - 1 && d.Year <= c.Year), "holidays",
                "dates belong to the notice's year (or the end of the year before)")
            .Require(!holidays.Intersect(workdays).Any(), "workdays", "a day cannot be both a holiday and a working day")
            .Require(workdays.All(d => d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday), "workdays", "make-up working days are weekend days")
            .ThrowIfAny();
        var set = new CalendarYearSet(c.Year, holidays.Distinct().Order().ToList(), workdays.Distinct().Order().ToList(), c.Source!.Trim(), c.Actor);
        var last = current.LastOrDefault(y => y.Year == c.Year);
        return last is not null && last.Holidays.SequenceEqual(set.Holidays) && last.Workdays.SequenceEqual(set.Workdays) ? [] : [set];
    }

    /// <summary>The shipped notices with the operator's years laid over them (a set year replaces that notice).</summary>
    public static WorkingCalendar Build(IEnumerable<CalendarYearSet> sets)
    {
        var byYear = HolidayNotice.Shipped().ToDictionary(n => n.Year);
        foreach (var s in sets) byYear[s.Year] = new HolidayNotice(s.Year, s.Holidays, s.Workdays, s.Source);
        return new WorkingCalendar(byYear.Values);
    }
}
