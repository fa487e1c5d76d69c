using EventSourcedDisclosure.Domain.Requests;
using static EventSourcedDisclosure.Domain.Tests.Requests.RequestFixtures;

namespace EventSourcedDisclosure.Domain.Tests.Requests;

/// <summary>Due dates worked out by hand from the State Council notices; the starting day is never counted.</summary>
public sealed class RequestDeadlineTests
{
    [Fact]
    public void Received_27_September_2024_steps_over_National_Day_and_counts_the_make_up_Sunday()
    {
        // 28 Sat off; 29 Sun worked (1); 30 (2); 1–7 Oct off; 8–11 (3–6); 12 Oct Sat worked (7);
        // 14–18 (8–12); 21–25 (13–17); 28, 29, 30 (18–20).
        var received = Received("2024-09-27");
        received.Due.ShouldBe(new DueDate(D("2024-10-30"), false));
        var explained = RequestDeadlines.Compute(Request.Evolve(Request.Initial, received), China);
        explained.MakeUpWorkdaysCounted.ShouldBe([D("2024-09-29"), D("2024-10-12")]);
        explained.HolidaysSkipped.ShouldBe([D("2024-10-01"), D("2024-10-02"), D("2024-10-03"), D("2024-10-04"), D("2024-10-07")]);
    }

    [Fact]
    public void Received_on_a_make_up_working_Saturday() =>
        // Sat 12 Oct 2024 was worked; counting starts Sunday 13 (off): 14–18, 21–25, 28 Oct–1 Nov, 4–8 Nov.
        Received("2024-10-12").Due.On.ShouldBe(D("2024-11-08"));

    [Fact]
    public void Received_24_January_2025_across_the_Spring_Festival_with_its_new_New_Years_Eve_day_off()
    {
        // 25 Sat off; 26 Sun worked (1); 27 (2); 28 Jan (除夕, new from 2025) – 4 Feb off; 5–7 (3–5);
        // 8 Feb Sat worked (6); 10–14 (7–11); 17–21 (12–16); 24–27 (17–20).
        Received("2025-01-24").Due.On.ShouldBe(D("2025-02-27"));
        China.IsWorkingDay(D("2025-01-28")).ShouldBeFalse();
    }

    [Fact]
    public void A_correction_notice_on_day_7_then_the_corrected_request_30_days_later_restarts_the_count()
    {
        var received = Received("2025-03-03");
        var spec = Spec.Given(received);
        // Day 7 after Monday 3 March is Wednesday 12 March; day 8 is too late.
        spec.ThenRejected(r => RequestDecider.RequestCorrection(new RequestCorrection(D("2025-03-13"), D("2025-04-30"), "请明确年份", "clerk", Today), r, China),
            RequestRules.CorrectionNoticeWithinSevenWorkingDays);
        var notice = Decide<CorrectionRequested>(spec.State,
            r => RequestDecider.RequestCorrection(new RequestCorrection(D("2025-03-12"), D("2025-04-30"), "请明确年份", "clerk", Today), r, China));
        var awaiting = Request.Evolve(spec.State, notice);
        awaiting.Due.ShouldBeNull(); // the clock does not run while the applicant corrects

        // Corrected 11 April (30 days after the notice): 14–18, 21–25 Apr (1–10); 27 Apr Sunday worked (11);
        // 28–30 (12–14); 1–5 May off; 6–9 (15–18); 12, 13 (19, 20).
        var corrected = Decide<CorrectionReceived>(awaiting,
            r => RequestDecider.ReceiveCorrection(new ReceiveCorrection(D("2025-04-11"), "2024年度", "clerk", Today), r, China));
        corrected.Due.On.ShouldBe(D("2025-05-13"));
    }

    [Fact]
    public void A_consultation_of_12_working_days_in_the_middle_moves_the_due_date_by_12_working_days()
    {
        var received = Received("2025-03-03");
        received.Due.On.ShouldBe(D("2025-03-31"));
        var started = Decide<ConsultationStarted>(Request.Evolve(Request.Initial, received),
            r => RequestDecider.StartConsultation(new StartConsultation(D("2025-03-10"), "某公司", "clerk", Today), r));
        var paused = Spec.Given(received, started).State;
        paused.Status.ShouldBe(RequestStatus.Paused);

        // Not counted: 11–14, 17–21, 24–26 March (12 working days). Counted: 4–7, 10 Mar (5); 27, 28, 31 Mar, 1–3 Apr (11);
        // 4–6 Apr off (清明); 7–11 (16); 14–17 (20).
        var replied = Decide<ConsultationReplied>(paused,
            r => RequestDecider.RecordConsultationReply(new RecordConsultationReply(D("2025-03-26"), "不同意公开", "clerk", Today), r, China));
        replied.Due.On.ShouldBe(D("2025-04-17"));
        RequestDeadlines.Compute(Request.Evolve(paused, replied), China).Pauses.Single().WorkingDaysNotCounted.ShouldBe(12);
    }

    [Fact]
    public void An_extension_of_20_working_days()
    {
        // 40 working days from 3 March 2025: … 31 Mar (20); 1–3 Apr (23); 7–11 (28); 14–18 (33); 21–25 (38); 27 Apr Sunday worked (39); 28 Apr (40).
        var received = Received("2025-03-03");
        var extended = Decide<RequestExtended>(Request.Evolve(Request.Initial, received),
            r => RequestDecider.Extend(new ExtendRequest(D("2025-03-28"), 20, "办公室主任 李四", "需调取档案", "clerk", Today), r, China));
        extended.Due.On.ShouldBe(D("2025-04-28"));
    }

    [Fact]
    public void A_count_into_2027_is_flagged_as_lacking_calendar_data()
    {
        // 16–18 Dec (3); 21–25 (8); 28–31 (12); 1 Jan 2027 is a fixed holiday; 4–8 Jan (17); 11–13 (20).
        Received("2026-12-15").Due.ShouldBe(new DueDate(D("2027-01-13"), Provisional: true));
        Received("2026-11-02").Due.Provisional.ShouldBeFalse();
    }
}
