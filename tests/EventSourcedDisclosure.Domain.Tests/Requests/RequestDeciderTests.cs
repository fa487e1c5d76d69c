using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Requests;
using static EventSourcedDisclosure.Domain.Tests.Requests.RequestFixtures;

namespace EventSourcedDisclosure.Domain.Tests.Requests;

public sealed class RequestDeciderTests
{
    private static readonly RequestReceived March3 = Received("2025-03-03");

    private static AnswerRequest Answer(string outcome, string? reason, string on = "2025-03-20", WithheldPartInput[]? parts = null) =>
        new(D(on), outcome, reason, "答复内容", parts, null, "clerk", Today);

    [Fact]
    public void Receipt_validates_channel_applicant_and_date()
    {
        Should.Throw<ValidationFailed>(() => RequestDecider.Receive(new ReceiveRequest(Id, "a", Today.AddDays(1), null, "pigeon",
            Person with { Type = "alien", IdNumber = "110105194912310021" }, "x", null, "C", "clerk", Today), China))
            .Errors.Keys.ShouldBe(["receivedOn", "channel", "applicant.type", "applicant.idNumber"], ignoreOrder: true);
        // In person: received the day it was handed in (第三十一条（一）).
        Should.Throw<ValidationFailed>(() => RequestDecider.Receive(new ReceiveRequest(Id, "a", D("2025-03-05"), D("2025-03-03"), "inPerson",
            Person, "x", null, "C", "clerk", Today), China)).Errors.Keys.ShouldBe(["receivedOn"]);
        // By mail: received the day it was signed for, after it was sent.
        var mailed = (RequestReceived)RequestDecider.Receive(new ReceiveRequest(Id, "a", D("2025-03-05"), D("2025-03-03"), "mail",
            Person, "x", null, "C", "clerk", Today), China).Single();
        mailed.ReceiptRule.ShouldContain("签收之日");
    }

    [Fact]
    public void One_correction_notice_only()
    {
        var notice = new CorrectionRequested(Id, D("2025-03-05"), D("2025-03-20"), "请补正", "clerk");
        var corrected = new CorrectionReceived(Id, D("2025-03-10"), "已补正", new DueDate(D("2025-04-08"), false), "clerk");
        Spec.Given(March3, notice, corrected).ThenRejected(
            r => RequestDecider.RequestCorrection(new RequestCorrection(D("2025-03-11"), D("2025-03-25"), "再补正", "clerk", Today), r, China),
            RequestRules.CorrectionNoticeOnce);
    }

    [Fact]
    public void Corrections_need_a_notice_and_arrive_within_its_period()
    {
        Spec.Given(March3).ThenRejected(r => RequestDecider.ReceiveCorrection(new ReceiveCorrection(D("2025-03-10"), "x", "clerk", Today), r, China),
            RequestRules.CorrectionNeedsNotice);
        var notice = new CorrectionRequested(Id, D("2025-03-05"), D("2025-03-20"), "请补正", "clerk");
        Spec.Given(March3, notice).ThenRejected(r => RequestDecider.ReceiveCorrection(new ReceiveCorrection(D("2025-03-21"), "x", "clerk", Today), r, China),
            RequestRules.CorrectionPeriodLapsed);
        Spec.Given(March3, notice).ThenRejected(r => RequestDecider.Answer(Answer("disclosed", null), r, China), RequestRules.AwaitingCorrection);
    }

    [Fact]
    public void Abandonment_after_the_correction_period_and_unclear_after_correction_need_their_history()
    {
        Spec.Given(March3).ThenRejected(r => RequestDecider.Answer(Answer("other", "correctionNotSubmitted"), r, China),
            RequestRules.CorrectionNotSubmittedNeedsLapsedNotice);
        var notice = new CorrectionRequested(Id, D("2025-03-05"), D("2025-03-20"), "请补正", "clerk");
        Spec.Given(March3, notice).ThenRejected(r => RequestDecider.Answer(Answer("other", "correctionNotSubmitted", "2025-03-20"), r, China),
            RequestRules.CorrectionNotSubmittedNeedsLapsedNotice);
        Decide<RequestAnswered>(Spec.Given(March3, notice).State,
            r => RequestDecider.Answer(Answer("other", "correctionNotSubmitted", "2025-03-21"), r, China)).Outcome.ShouldBe(Outcome.Other);
        Spec.Given(March3).ThenRejected(r => RequestDecider.Answer(Answer("unavailable", "unclearAfterCorrection"), r, China),
            RequestRules.UnclearAfterCorrectionNeedsCorrection);
    }

    [Fact]
    public void One_consultation_at_a_time_and_a_reply_needs_one()
    {
        Spec.Given(March3).ThenRejected(r => RequestDecider.RecordConsultationReply(new RecordConsultationReply(D("2025-03-10"), "x", "clerk", Today), r, China),
            RequestRules.NoOpenConsultation);
        var started = new ConsultationStarted(Id, D("2025-03-05"), "某公司", "clerk");
        Spec.Given(March3, started).ThenRejected(r => RequestDecider.StartConsultation(new StartConsultation(D("2025-03-06"), "另一公司", "clerk", Today), r),
            RequestRules.ConsultationAlreadyOpen);
    }

    [Fact]
    public void An_extension_once_at_most_20_days_approved_and_within_the_period()
    {
        var spec = Spec.Given(March3);
        Should.Throw<ValidationFailed>(() => RequestDecider.Extend(new ExtendRequest(D("2025-03-20"), 21, "主任", "理由", "clerk", Today), spec.State, China))
            .Errors.Keys.ShouldBe(["workingDays"]);
        spec.ThenRejected(r => RequestDecider.Extend(new ExtendRequest(D("2025-03-20"), 10, " ", "理由", "clerk", Today), r, China),
            RequestRules.ExtensionNeedsApprovalAndReason);
        spec.ThenRejected(r => RequestDecider.Extend(new ExtendRequest(D("2025-04-01"), 10, "主任", "理由", "clerk", Today), r, China),
            RequestRules.ExtensionWithinPeriod);
        var extended = new RequestExtended(Id, D("2025-03-20"), 10, "主任", "理由", new DueDate(D("2025-04-15"), false), "clerk");
        Spec.Given(March3, extended).ThenRejected(r => RequestDecider.Extend(new ExtendRequest(D("2025-03-21"), 5, "主任", "理由", "clerk", Today), r, China),
            RequestRules.ExtensionOnce);
    }

    [Theory]
    [InlineData("disclosed", "notHeld")]
    [InlineData("withheld", "notHeld")]
    [InlineData("withheld", null)]
    [InlineData("notProcessed", "stateSecret")]
    [InlineData("unavailable", "petition")]
    public void An_answer_has_the_reason_of_its_own_rows(string outcome, string? reason) =>
        Spec.Given(March3).ThenRejected(r => RequestDecider.Answer(Answer(outcome, reason), r, China), RequestRules.ReasonMatchesOutcome);

    [Fact]
    public void A_partial_disclosure_lists_what_was_withheld_and_why()
    {
        Spec.Given(March3).ThenRejected(r => RequestDecider.Answer(Answer("partiallyDisclosed", null), r, China),
            RequestRules.PartialDisclosureListsWithheldParts);
        var answered = Decide<RequestAnswered>(Spec.Given(March3).State, r => RequestDecider.Answer(
            Answer("partiallyDisclosed", null, parts: [new("学生个人信息", "thirdPartyRights")]), r, China));
        answered.WithheldParts.ShouldBe([new WithheldPart("学生个人信息", Domain.Items.WithholdingReason.ThirdPartyRights)]);
    }

    [Fact]
    public void An_answered_request_takes_no_further_answer_and_late_answers_are_recorded_as_late()
    {
        var answered = Decide<RequestAnswered>(Spec.Given(March3).State,
            r => RequestDecider.Answer(Answer("disclosed", null, "2025-04-02"), r, China));
        answered.Late.ShouldBeTrue(); // due 31 March; 1 and 2 April are two working days over
        answered.WorkingDaysOver.ShouldBe(2);
        Spec.Given(March3, answered).ThenRejected(r => RequestDecider.Answer(Answer("disclosed", null), r, China), RequestRules.RequestClosed);
        Decide<RequestAnswered>(Spec.Given(March3).State, r => RequestDecider.Answer(Answer("disclosed", null, "2025-03-31"), r, China))
            .Late.ShouldBeFalse();
    }

    [Theory]
    [InlineData("perRequest", 10, 0)]
    [InlineData("perRequest", 11, 100)]
    [InlineData("perRequest", 30, 2000)]
    [InlineData("perRequest", 45, 5500)] // 10×0 + 20×100 + 10×200 + 5×300
    [InlineData("perPage", 30, 0)]
    [InlineData("perPage", 100, 700)]
    [InlineData("perPage", 250, 4700)] // 70×10 + 100×20 + 50×40
    public void Fees_follow_the_tiers_of_the_measures(string basis, int quantity, int amount)
    {
        Codes.TryParse<FeeBasis>(basis, out var b).ShouldBeTrue();
        FeeSchedule.Amount(b, quantity).ShouldBe(amount);
    }

    [Fact]
    public void A_fee_notice_must_match_the_tiers_and_a_lapsed_unpaid_fee_ends_the_request()
    {
        var spec = Spec.Given(March3);
        spec.ThenRejected(r => RequestDecider.IssueFeeNotice(new IssueFeeNotice(D("2025-03-05"), "perRequest", 45, 5000, "clerk", Today), r, China),
            RequestRules.FeeFollowsTiers);
        spec.ThenRejected(r => RequestDecider.IssueFeeNotice(new IssueFeeNotice(D("2025-03-05"), "perPage", 20, 0, "clerk", Today), r, China),
            RequestRules.FeeFollowsTiers);
        var notice = Decide<FeeNoticeIssued>(spec.State,
            r => RequestDecider.IssueFeeNotice(new IssueFeeNotice(D("2025-03-05"), "perRequest", 45, 5500, "clerk", Today), r, China));
        notice.PayBy.ShouldBe(D("2025-04-02"));
        Spec.Given(March3, notice).ThenRejected(r => RequestDecider.RecordFeePayment(new RecordFeePayment(D("2025-03-10"), 5000, "clerk", Today), r),
            RequestRules.FeePaymentMatchesNotice);
        Spec.Given(March3, notice).ThenRejected(r => RequestDecider.Answer(Answer("other", "feeNotPaid", "2025-04-02"), r, China),
            RequestRules.FeeNotPaidNeedsLapsedNotice);
        Decide<RequestAnswered>(Spec.Given(March3, notice).State, r => RequestDecider.Answer(Answer("other", "feeNotPaid", "2025-04-03"), r, China))
            .Reason.ShouldBe("feeNotPaid");
        var paid = new FeePaid(Id, D("2025-03-10"), 5500, "clerk");
        Spec.Given(March3, notice, paid).ThenRejected(r => RequestDecider.Answer(Answer("other", "feeNotPaid", "2025-04-03"), r, China),
            RequestRules.FeeNotPaidNeedsLapsedNotice);
    }

    [Fact]
    public void A_calendar_amendment_moves_open_due_dates_only()
    {
        var open = Spec.Given(Received("2026-12-15")).State; // due 13 Jan 2027, provisional
        var calendar2027 = Domain.Calendar.CalendarDecider.Build([new Domain.Calendar.CalendarYearSet(2027,
            [D("2027-01-01"), D("2027-01-11")], [], "假设的2027年通知", "admin")]);
        var moved = (RequestDeadlineRecomputed)RequestDecider.Recompute(open, calendar2027, 2027).Single();
        moved.Previous.ShouldBe(new DueDate(D("2027-01-13"), true));
        moved.Due.ShouldBe(new DueDate(D("2027-01-14"), false));
        var answered = new RequestAnswered(Id, D("2026-12-20"), Outcome.Disclosed, null, "x", [], [], open.Due, false, 0, "clerk");
        RequestDecider.Recompute(Request.Evolve(open, answered), calendar2027, 2027).ShouldBeEmpty();
    }

    [Fact]
    public void Tracking_codes_are_80_random_bits_readable_on_the_phone()
    {
        var codes = Enumerable.Range(0, 1000).Select(_ => TrackingCodes.New()).ToList();
        codes.Distinct().Count().ShouldBe(1000);
        codes.ShouldAllBe(c => System.Text.RegularExpressions.Regex.IsMatch(c, "^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$"));
        TrackingCodes.Normalize(codes[0].ToLowerInvariant().Replace("-", " ")).ShouldBe(codes[0]);
        TrackingCodes.Normalize("not a code").ShouldBeNull();
        TrackingCodes.Normalize("0000-0000-0000-000U").ShouldBeNull();
    }
}
