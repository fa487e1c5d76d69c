using EventSourcedDisclosure.Domain.Calendar;

namespace EventSourcedDisclosure.Domain.Requests;

/// <summary>How a due date was reached: the rule, the start, the pauses, the days stepped over.</summary>
public sealed record DeadlineComputation(
    DueDate? Due, DateOnly? Start, string StartRule, int BaseWorkingDays, int ExtensionWorkingDays,
    IReadOnlyList<PauseSpan> Pauses, IReadOnlyList<DateOnly> HolidaysSkipped, IReadOnlyList<DateOnly> MakeUpWorkdaysCounted);

public sealed record PauseSpan(DateOnly From, DateOnly To, int WorkingDaysNotCounted);

/// <summary>
/// 第三十三条: 20 working days from receipt (第三十一条), or from the corrected request (第三十条);
/// days of a third-party consultation are not counted; one extension adds at most 20. The
/// starting day is not counted (期间开始之日不计算在内).
/// </summary>
public static class RequestDeadlines
{
    public const int AnswerWorkingDays = 20;
    public const int MaxExtensionWorkingDays = 20;
    public const int CorrectionNoticeWorkingDays = 7;
    public const int FeePaymentWorkingDays = 20;
    public const int DueSoonWorkingDays = 5;

    public static DeadlineComputation Compute(Request r, WorkingCalendar calendar)
    {
        if (r.CorrectionNoticeOn is not null && r.CorrectedOn is null)
            return new(null, null, "第三十条：补正期间，答复期限自收到补正的申请之日起计算", AnswerWorkingDays, r.ExtensionDays, [], [], []);

        var start = r.CorrectedOn ?? r.ReceivedOn;
        var rule = r.CorrectedOn is null ? r.ReceiptRule : "第三十条：答复期限自行政机关收到补正的申请之日起计算";
        // Closed consultations only: the clock stops the day after the letter and runs again the day after the reply.
        var pauses = r.Consultations.Where(c => c.RepliedOn is { } to && to > start).Select(c => (From: c.StartedOn, To: c.RepliedOn!.Value)).ToList();
        bool Paused(DateOnly d) => pauses.Any(p => d > p.From && d <= p.To);

        var needed = AnswerWorkingDays + r.ExtensionDays;
        var holidays = new List<DateOnly>();
        var makeUps = new List<DateOnly>();
        var paused = pauses.ToDictionary(p => p, _ => 0);
        var provisional = false;
        var day = start;
        for (var counted = 0; counted < needed;)
        {
            day = day.AddDays(1);
            provisional |= !calendar.IsKnownYear(day.Year);
            var working = calendar.IsWorkingDay(day);
            var weekend = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            if (!working && !weekend) holidays.Add(day);
            if (working && weekend) makeUps.Add(day);
            if (!working) continue;
            if (Paused(day))
            {
                foreach (var p in pauses.Where(p => day > p.From && day <= p.To)) paused[p]++;
                continue;
            }
            counted++;
        }
        return new(new DueDate(day, provisional), start, rule, AnswerWorkingDays, r.ExtensionDays,
            pauses.Select(p => new PauseSpan(p.From, p.To, paused[p])).ToList(), holidays, makeUps);
    }

    public static DueDate? DueOf(Request r, WorkingCalendar calendar) => Compute(r, calendar).Due;
}
