using EventSourcedDisclosure.Domain.Calendar;

namespace EventSourcedDisclosure.Domain.Tests.Calendar;

public sealed class WorkingCalendarTests
{
    private static readonly WorkingCalendar China = WorkingCalendar.China;

    [Theory]
    [InlineData("2025-01-28", false)] // 除夕, a holiday from 2025
    [InlineData("2025-01-26", true)]  // Sunday worked (调休)
    [InlineData("2025-05-02", false)]
    [InlineData("2025-03-08", false)] // Saturday
    [InlineData("2018-12-31", false)] // in the 2019 notice
    [InlineData("2018-12-29", true)]  // Saturday worked, in the 2019 notice
    public void Knows_holidays_and_make_up_working_days(string date, bool working) =>
        China.IsWorkingDay(DateOnly.Parse(date)).ShouldBe(working);

    [Fact]
    public void Counting_starts_the_day_after()
    {
        China.AddWorkingDays(new DateOnly(2025, 3, 3), 1).Date.ShouldBe(new DateOnly(2025, 3, 4));
        China.AddWorkingDays(new DateOnly(2025, 3, 7), 1).Date.ShouldBe(new DateOnly(2025, 3, 10)); // Friday → Monday
    }

    [Fact]
    public void Twenty_working_days_across_the_national_day_holiday()
    {
        var due = China.AddWorkingDays(new DateOnly(2025, 9, 26), 20);
        due.ShouldBe(new WorkingDate(new DateOnly(2025, 10, 30), Provisional: false));
        China.WorkingDaysBetween(new DateOnly(2025, 9, 26), due.Date).ShouldBe(20);
    }

    [Fact]
    public void A_year_without_a_notice_counts_weekends_and_fixed_holidays_and_says_so()
    {
        var due = China.AddWorkingDays(new DateOnly(2026, 12, 28), 5);
        due.Provisional.ShouldBeTrue();
        due.Date.ShouldBe(new DateOnly(2027, 1, 5)); // 29, 30, 31 Dec; 1 Jan off; 4, 5 Jan
        China.AddWorkingDays(new DateOnly(2026, 3, 2), 5).Provisional.ShouldBeFalse();
    }
}
