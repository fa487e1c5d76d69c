using System.Text.Json;

namespace EventSourcedDisclosure.Domain.Calendar;

/// <summary>A date reached by counting working days, and whether a year without a holiday notice was crossed.</summary>
public readonly record struct WorkingDate(DateOnly Date, bool Provisional);

/// <summary>
/// Chinese working days (工作日): Monday–Friday except the State Council's holidays, plus the
/// weekend days it declares worked (调休). A year whose notice is not yet known counts only
/// weekends and the fixed-date statutory holidays, and every date counted through it is
/// marked provisional: a deadline in it can move when the notice comes out.
/// </summary>
public sealed class WorkingCalendar
{
    private readonly HashSet<DateOnly> _holidays;
    private readonly HashSet<DateOnly> _workdays;
    private readonly HashSet<int> _noticeYears;

    public WorkingCalendar(IEnumerable<HolidayNotice> notices)
    {
        var list = notices.ToList();
        _holidays = list.SelectMany(n => n.Holidays).ToHashSet();
        _workdays = list.SelectMany(n => n.Workdays).ToHashSet();
        _noticeYears = list.Select(n => n.Year).ToHashSet();
    }

    /// <summary>The notices shipped with the product (2019 onwards).</summary>
    public static WorkingCalendar China { get; } = new(HolidayNotice.Shipped());

    public bool IsKnownYear(int year) => _noticeYears.Contains(year);

    public bool IsWorkingDay(DateOnly date)
    {
        if (_workdays.Contains(date)) return true;
        if (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || _holidays.Contains(date)) return false;
        return IsKnownYear(date.Year) || !FixedStatutoryHoliday(date);
    }

    /// <summary>
    /// "自…之日起N个工作日内": the start day does not count (民法典第二百零一条); the result is the
    /// Nth working day after it.
    /// </summary>
    public WorkingDate AddWorkingDays(DateOnly start, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var date = start;
        var provisional = false;
        for (var counted = 0; counted < days;)
        {
            date = date.AddDays(1);
            provisional |= !IsKnownYear(date.Year);
            if (IsWorkingDay(date)) counted++;
        }
        return new WorkingDate(date, provisional);
    }

    /// <summary>Working days after <paramref name="from"/> up to and including <paramref name="to"/>; negative when to is earlier.</summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        if (to < from) return -WorkingDaysBetween(to, from);
        var count = 0;
        for (var d = from.AddDays(1); d <= to; d = d.AddDays(1))
            if (IsWorkingDay(d)) count++;
        return count;
    }

    // 《全国年节及纪念日放假办法》 days with a fixed solar date; from 2025 5月2日 too. Lunar
    // holidays (春节, 清明, 端午, 中秋) need the year's notice.
    private static bool FixedStatutoryHoliday(DateOnly d) =>
        (d.Month, d.Day) is (1, 1) or (5, 1) or (10, 1) or (10, 2) or (10, 3)
        || (d.Year >= 2025 && (d.Month, d.Day) == (5, 2));
}

/// <summary>One State Council notice (国务院办公厅关于YYYY年部分节假日安排的通知).</summary>
public sealed record HolidayNotice(int Year, IReadOnlyList<DateOnly> Holidays, IReadOnlyList<DateOnly> Workdays, string Source)
{
    public static IReadOnlyList<HolidayNotice> Shipped()
    {
        using var stream = typeof(HolidayNotice).Assembly.GetManifestResourceStream("cn-holidays.json")
            ?? throw new InvalidOperationException("cn-holidays.json is not embedded.");
        return Parse(JsonDocument.Parse(stream));
    }

    /// <summary>The shipped file's shape: { "2025": { "holidays": [...], "workdays": [...], "source": "..." } }.</summary>
    public static IReadOnlyList<HolidayNotice> Parse(JsonDocument json) =>
        json.RootElement.EnumerateObject().Select(year => new HolidayNotice(
            int.Parse(year.Name),
            Dates(year.Value, "holidays"),
            Dates(year.Value, "workdays"),
            year.Value.TryGetProperty("source", out var s) ? s.GetString() ?? "" : "")).ToList();

    private static List<DateOnly> Dates(JsonElement year, string name) =>
        year.TryGetProperty(name, out var list)
            ? list.EnumerateArray().Select(d => DateOnly.ParseExact(d.GetString()!, "yyyy-MM-dd")).ToList()
            : [];
}
