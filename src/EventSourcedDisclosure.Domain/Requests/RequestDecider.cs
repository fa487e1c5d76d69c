using EventSourcedDisclosure.Domain.Calendar;
using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Items;

namespace EventSourcedDisclosure.Domain.Requests;

/// <summary>The names of the request rules; an HTTP 409 names the one broken.</summary>
public static class RequestRules
{
    public const string CorrectionNoticeWithinSevenWorkingDays = "correction-notice-within-7-working-days";
    public const string CorrectionNoticeOnce = "correction-notice-once";
    public const string CorrectionNeedsNotice = "correction-needs-notice";
    public const string CorrectionPeriodLapsed = "correction-period-lapsed";
    public const string AwaitingCorrection = "awaiting-correction";
    public const string ConsultationAlreadyOpen = "consultation-already-open";
    public const string NoOpenConsultation = "no-open-consultation";
    public const string ExtensionOnce = "extension-once";
    public const string ExtensionNeedsApprovalAndReason = "extension-needs-approval-and-reason";
    public const string ExtensionWithinPeriod = "extension-within-period";
    public const string FeeFollowsTiers = "fee-follows-tiers";
    public const string FeeNoticeOnce = "fee-notice-once";
    public const string FeePaymentMatchesNotice = "fee-payment-matches-notice";
    public const string ReasonMatchesOutcome = "reason-matches-outcome";
    public const string PartialDisclosureListsWithheldParts = "partial-disclosure-lists-withheld-parts";
    public const string CorrectionNotSubmittedNeedsLapsedNotice = "correction-not-submitted-needs-lapsed-notice";
    public const string UnclearAfterCorrectionNeedsCorrection = "unclear-after-correction-needs-correction";
    public const string FeeNotPaidNeedsLapsedNotice = "fee-not-paid-needs-lapsed-notice";
    public const string RequestClosed = "request-closed";
}

/// <summary>Decides request commands. Pure: the calendar, dates, actors and the tracking code come in.</summary>
public static partial class RequestDecider
{
    public static IReadOnlyList<object> Receive(ReceiveRequest c, WorkingCalendar calendar)
    {
        var v = new Validation()
            .Require(c.ReceivedOn is not null, "receivedOn", "is required")
            .Require(c.ReceivedOn is null || c.ReceivedOn <= c.Today, "receivedOn", "is in the future")
            .Require(c.SubmittedOn is null || c.ReceivedOn is null || c.SubmittedOn <= c.ReceivedOn, "submittedOn",
                "is after the day of receipt: under 第三十一条 a request is received on or after the day it was submitted")
            .NotBlank(c.Description, "description", 10_000)
            .Require(c.Purpose is null || c.Purpose.Length <= 2000, "purpose", "is longer than 2000 characters");
        var channel = v.Code<RequestChannel>(c.Channel, "channel", required: true);
        v.Require(channel != RequestChannel.InPerson || c.SubmittedOn is null || c.SubmittedOn == c.ReceivedOn, "receivedOn",
            "a request handed in in person is received the day it is submitted (第三十一条（一）)");
        var applicant = ValidApplicant(c.Applicant, v);
        v.ThrowIfAny();

        var received = new RequestReceived(c.RequestId, c.Agency, c.ReceivedOn!.Value, channel!.Value, OutcomeReasons.ReceiptRules[channel.Value],
            c.SubmittedOn, applicant!, c.Description!.Trim(), c.Purpose?.Trim(), c.TrackingCode, new DueDate(default, false), c.Actor);
        var due = RequestDeadlines.DueOf(Request.Evolve(Request.Initial, received), calendar)!;
        return [received with { Due = due }];
    }

    public static IReadOnlyList<object> RequestCorrection(RequestCorrection c, Request r, WorkingCalendar calendar)
    {
        Open(r);
        new Validation().Require(c.NoticeOn is not null, "noticeOn", "is required")
            .Require(c.CorrectBy is not null, "correctBy", "is required")
            .Require(c.NoticeOn is null || c.NoticeOn <= c.Today, "noticeOn", "is in the future")
            .Require(c.NoticeOn is null || c.NoticeOn >= r.ReceivedOn, "noticeOn", "is before the day of receipt")
            .Require(c.CorrectBy is null || c.NoticeOn is null || c.CorrectBy > c.NoticeOn, "correctBy", "must leave the applicant time after the notice")
            .NotBlank(c.Detail, "detail", 5000).ThrowIfAny();
        if (r.CorrectionNoticeOn is not null)
            throw new RuleViolation(RequestRules.CorrectionNoticeOnce, "第三十条: the applicant is told once (一次性告知) what to correct.");
        var limit = calendar.AddWorkingDays(r.ReceivedOn, RequestDeadlines.CorrectionNoticeWorkingDays).Date;
        if (c.NoticeOn > limit)
            throw new RuleViolation(RequestRules.CorrectionNoticeWithinSevenWorkingDays,
                $"第三十条: the correction notice is due within 7 working days of receipt, by {limit:yyyy-MM-dd}.");
        return [new CorrectionRequested(r.Id, c.NoticeOn!.Value, c.CorrectBy!.Value, c.Detail!.Trim(), c.Actor)];
    }

    public static IReadOnlyList<object> ReceiveCorrection(ReceiveCorrection c, Request r, WorkingCalendar calendar)
    {
        Open(r);
        new Validation().Require(c.CorrectedOn is not null, "correctedOn", "is required")
            .Require(c.CorrectedOn is null || c.CorrectedOn <= c.Today, "correctedOn", "is in the future")
            .NotBlank(c.Detail, "detail", 10_000).ThrowIfAny();
        if (!r.AwaitingCorrection)
            throw new RuleViolation(RequestRules.CorrectionNeedsNotice, "No correction notice is waiting for an answer.");
        if (c.CorrectedOn > r.CorrectBy || c.CorrectedOn < r.CorrectionNoticeOn)
            throw new RuleViolation(RequestRules.CorrectionPeriodLapsed,
                $"The correction period ran from {r.CorrectionNoticeOn:yyyy-MM-dd} to {r.CorrectBy:yyyy-MM-dd}; past it the request counts as abandoned (第三十条).");
        return WithDue(r, calendar, new CorrectionReceived(r.Id, c.CorrectedOn!.Value, c.Detail!.Trim(), default!, c.Actor),
            (e, due) => e with { Due = due });
    }

    public static IReadOnlyList<object> StartConsultation(StartConsultation c, Request r)
    {
        Running(r);
        new Validation().Require(c.StartedOn is not null, "startedOn", "is required")
            .Require(c.StartedOn is null || c.StartedOn <= c.Today, "startedOn", "is in the future")
            .Require(c.StartedOn is null || c.StartedOn >= (r.CorrectedOn ?? r.ReceivedOn), "startedOn", "is before the answer period began")
            .NotBlank(c.ThirdParty, "thirdParty", 500).ThrowIfAny();
        if (r.Paused) throw new RuleViolation(RequestRules.ConsultationAlreadyOpen, "A consultation is already waiting for its reply.");
        return [new ConsultationStarted(r.Id, c.StartedOn!.Value, c.ThirdParty!.Trim(), c.Actor)];
    }

    public static IReadOnlyList<object> RecordConsultationReply(RecordConsultationReply c, Request r, WorkingCalendar calendar)
    {
        Open(r);
        if (!r.Paused) throw new RuleViolation(RequestRules.NoOpenConsultation, "No consultation is waiting for a reply.");
        new Validation().Require(c.RepliedOn is not null, "repliedOn", "is required")
            .Require(c.RepliedOn is null || c.RepliedOn <= c.Today, "repliedOn", "is in the future")
            .Require(c.RepliedOn is null || c.RepliedOn >= r.Consultations[^1].StartedOn, "repliedOn", "is before the consultation started")
            .NotBlank(c.Opinion, "opinion", 5000).ThrowIfAny();
        return WithDue(r, calendar, new ConsultationReplied(r.Id, c.RepliedOn!.Value, c.Opinion!.Trim(), default!, c.Actor),
            (e, due) => e with { Due = due });
    }

    public static IReadOnlyList<object> Extend(ExtendRequest c, Request r, WorkingCalendar calendar)
    {
        Running(r);
        new Validation().Require(c.ExtendedOn is not null, "extendedOn", "is required")
            .Require(c.ExtendedOn is null || c.ExtendedOn <= c.Today, "extendedOn", "is in the future")
            .Require(c.WorkingDays is >= 1 and <= RequestDeadlines.MaxExtensionWorkingDays, "workingDays",
                $"must be 1–{RequestDeadlines.MaxExtensionWorkingDays} working days (第三十三条)").ThrowIfAny();
        if (string.IsNullOrWhiteSpace(c.ApprovedBy) || string.IsNullOrWhiteSpace(c.Reason))
            throw new RuleViolation(RequestRules.ExtensionNeedsApprovalAndReason,
                "第三十三条: an extension is approved by the head of the disclosure office (政府信息公开工作机构负责人同意), for a reason told to the applicant.");
        if (r.Extended) throw new RuleViolation(RequestRules.ExtensionOnce, $"The request was already extended on {r.ExtendedOn:yyyy-MM-dd}.");
        if (r.Due is { } due && c.ExtendedOn > due.On)
            throw new RuleViolation(RequestRules.ExtensionWithinPeriod, $"The answer was due on {due.On:yyyy-MM-dd}; an extension is decided within the period.");
        return WithDue(r, calendar, new RequestExtended(r.Id, c.ExtendedOn!.Value, c.WorkingDays!.Value, c.ApprovedBy.Trim(), c.Reason.Trim(), default!, c.Actor),
            (e, d) => e with { Due = d });
    }

    public static IReadOnlyList<object> IssueFeeNotice(IssueFeeNotice c, Request r, WorkingCalendar calendar)
    {
        Running(r);
        var v = new Validation().Require(c.NoticeOn is not null, "noticeOn", "is required")
            .Require(c.NoticeOn is null || c.NoticeOn <= c.Today, "noticeOn", "is in the future")
            .Require(c.Quantity is >= 1 and <= 100_000, "quantity", "must be 1–100000")
            .Require(c.Amount is not null, "amount", "is required");
        var basis = v.Code<FeeBasis>(c.Basis, "basis", required: true);
        v.ThrowIfAny();
        if (r.FeeNoticeOn is not null) throw new RuleViolation(RequestRules.FeeNoticeOnce, "A fee notice was already issued.");
        var expected = FeeSchedule.Amount(basis!.Value, c.Quantity!.Value);
        if (expected == 0 || c.Amount != expected)
            throw new RuleViolation(RequestRules.FeeFollowsTiers, expected == 0
                ? $"{c.Quantity} {Codes.Of(basis.Value)} falls in the free tier: no fee is due."
                : $"The 办法's tiers give {expected:0.##} 元 for {c.Quantity} ({Codes.Of(basis.Value)}), not {c.Amount:0.##}.");
        var payBy = calendar.AddWorkingDays(c.NoticeOn!.Value, RequestDeadlines.FeePaymentWorkingDays).Date;
        return [new FeeNoticeIssued(r.Id, c.NoticeOn.Value, basis.Value, c.Quantity.Value, expected, payBy, c.Actor)];
    }

    public static IReadOnlyList<object> RecordFeePayment(RecordFeePayment c, Request r)
    {
        Running(r);
        new Validation().Require(c.PaidOn is not null, "paidOn", "is required")
            .Require(c.PaidOn is null || c.PaidOn <= c.Today, "paidOn", "is in the future")
            .Require(c.Amount is not null, "amount", "is required").ThrowIfAny();
        if (r.FeeNoticeOn is null || r.FeePaidOn is not null || c.Amount != r.FeeAmount || c.PaidOn < r.FeeNoticeOn)
            throw new RuleViolation(RequestRules.FeePaymentMatchesNotice,
                r.FeeNoticeOn is null ? "No fee notice was issued." : r.FeePaidOn is not null ? "The fee was already paid."
                : $"The notice of {r.FeeNoticeOn:yyyy-MM-dd} asked for {r.FeeAmount:0.##} 元.");
        return [new FeePaid(r.Id, c.PaidOn!.Value, c.Amount!.Value, c.Actor)];
    }

    public static IReadOnlyList<object> Answer(AnswerRequest c, Request r, WorkingCalendar calendar)
    {
        Open(r);
        var v = new Validation().Require(c.AnsweredOn is not null, "answeredOn", "is required")
            .Require(c.AnsweredOn is null || c.AnsweredOn <= c.Today, "answeredOn", "is in the future")
            .Require(c.AnsweredOn is null || c.AnsweredOn >= r.ReceivedOn, "answeredOn", "is before the day of receipt")
            .NotBlank(c.Detail, "detail", 10_000);
        var outcome = v.Code<Outcome>(c.Outcome, "outcome", required: true);
        var parts = new List<WithheldPart>();
        foreach (var part in c.WithheldParts ?? [])
        {
            var reason = v.Code<WithholdingReason>(part.Reason, "withheldParts", required: true);
            v.NotBlank(part.Description, "withheldParts", 2000);
            if (reason is not null && !string.IsNullOrWhiteSpace(part.Description)) parts.Add(new(part.Description.Trim(), reason.Value));
        }
        v.ThrowIfAny();

        var reasons = OutcomeReasons.ByOutcome[outcome!.Value];
        if (reasons.Count > 0 ? c.Reason is null || !reasons.ContainsKey(c.Reason) : c.Reason is not null)
            throw new RuleViolation(RequestRules.ReasonMatchesOutcome, reasons.Count > 0
                ? $"A {Codes.Of(outcome.Value)} answer names one reason of its rows: {string.Join(", ", reasons.Keys)}."
                : $"A {Codes.Of(outcome.Value)} answer has no reason row.");
        if (outcome == Outcome.PartiallyDisclosed && parts.Count == 0)
            throw new RuleViolation(RequestRules.PartialDisclosureListsWithheldParts,
                "第三十七条: a partial disclosure says what was withheld and why (withheldParts).");
        var answeredOn = c.AnsweredOn!.Value;
        switch (outcome, c.Reason)
        {
            case (Outcome.Other, "correctionNotSubmitted") when !(r.AwaitingCorrection && answeredOn > r.CorrectBy):
                throw new RuleViolation(RequestRules.CorrectionNotSubmittedNeedsLapsedNotice,
                    "逾期不补正 needs a correction notice whose period has passed without a correction.");
            case (Outcome.Unavailable, "unclearAfterCorrection") when r.CorrectedOn is null:
                throw new RuleViolation(RequestRules.UnclearAfterCorrectionNeedsCorrection,
                    "补正后申请内容仍不明确 needs a correction notice and the corrected request.");
            case (Outcome.Other, "feeNotPaid") when !(r.FeeNoticeOn is not null && r.FeePaidOn is null && answeredOn > r.FeePayBy):
                throw new RuleViolation(RequestRules.FeeNotPaidNeedsLapsedNotice,
                    "逾期未缴纳费用 needs a fee notice whose payment period has passed unpaid.");
            case (not Outcome.Other, _) or (_, not "correctionNotSubmitted") when r.AwaitingCorrection:
                throw new RuleViolation(RequestRules.AwaitingCorrection,
                    $"The applicant has until {r.CorrectBy:yyyy-MM-dd} to correct the request.");
        }

        var due = r.Due;
        var over = due is { } d && answeredOn > d.On ? calendar.WorkingDaysBetween(d.On, answeredOn) : 0;
        return [new RequestAnswered(r.Id, answeredOn, outcome.Value, c.Reason, c.Detail!.Trim(),
            outcome == Outcome.PartiallyDisclosed ? parts : [], c.DisclosedItems?.Distinct().ToList() ?? [], due, over > 0, over, c.Actor)];
    }

    /// <summary>After a calendar amendment: the open request's due date under the new calendar, when it moved.</summary>
    public static IReadOnlyList<object> Recompute(Request r, WorkingCalendar calendar, int year)
    {
        if (!r.Exists || r.IsClosed || r.Due is not { } previous) return [];
        var due = RequestDeadlines.DueOf(r, calendar);
        return due is null || due == previous ? [] : [new RequestDeadlineRecomputed(r.Id, previous, due, year, $"{year}年节假日安排调整")];
    }

    private static IReadOnlyList<object> WithDue<TEvent>(Request r, WorkingCalendar calendar, TEvent e, Func<TEvent, DueDate, TEvent> set)
        where TEvent : notnull
    {
        var due = RequestDeadlines.DueOf(Request.Evolve(r, e), calendar)!;
        return [set(e, due)];
    }

    private static void Open(Request r)
    {
        if (!r.Exists) throw new NotFound("No such request.");
        if (r.IsClosed) throw new RuleViolation(RequestRules.RequestClosed, $"The request was answered on {r.AnsweredOn:yyyy-MM-dd}.");
    }

    // Open and not waiting for the applicant's correction.
    private static void Running(Request r)
    {
        Open(r);
        if (r.AwaitingCorrection)
            throw new RuleViolation(RequestRules.AwaitingCorrection, $"The applicant has until {r.CorrectBy:yyyy-MM-dd} to correct the request.");
    }
}
