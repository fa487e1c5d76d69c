using EventSourcedDisclosure.Domain.Calendar;
using EventSourcedDisclosure.Domain.Requests;

namespace EventSourcedDisclosure.Api.Requests;

/// <summary>A due date that explains itself.</summary>
public sealed record DeadlineView(
    DateOnly? DueOn, bool Provisional, IReadOnlyList<string> Rules, DateOnly? CountedFrom, string StartRule,
    int AnswerWorkingDays, int ExtensionWorkingDays, IReadOnlyList<PauseSpan> Pauses, IReadOnlyList<DateOnly> HolidaysSkipped,
    IReadOnlyList<DateOnly> MakeUpWorkdaysCounted, IReadOnlyList<DueChange> Changes, string? Note)
{
    public static DeadlineView Of(Request r, WorkingCalendar calendar)
    {
        var c = RequestDeadlines.Compute(r, calendar);
        var rules = new List<string> { "第三十三条：自收到申请之日起20个工作日内予以答复（期间开始之日不计算在内）" };
        if (r.CorrectionNoticeOn is not null) rules.Add("第三十条：答复期限自行政机关收到补正的申请之日起计算");
        if (r.Consultations.Count > 0) rules.Add("第三十三条第二款：征求第三方意见所需时间不计算在期限内");
        if (r.Extended) rules.Add($"第三十三条：经政府信息公开工作机构负责人（{r.ExtensionApprovedBy}）同意，延长{r.ExtensionDays}个工作日");
        // Closed requests keep the date that was in force; open ones show the stored date too, which equals the computation.
        var due = r.Due ?? c.Due;
        var note = due is { Provisional: true }
            ? "The count reaches a year whose holiday notice is not in the calendar yet: weekends and fixed-date holidays only; the date may move."
            : r.Paused ? "A consultation is open: the clock is stopped; the date moves when the reply is recorded." : null;
        return new(due?.On, due?.Provisional ?? false, rules, c.Start, c.StartRule, c.BaseWorkingDays, c.ExtensionWorkingDays,
            c.Pauses, c.HolidaysSkipped, c.MakeUpWorkdaysCounted, r.DueChanges, note);
    }
}
