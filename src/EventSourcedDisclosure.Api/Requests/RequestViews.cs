using EventSourcedDisclosure.Domain.Calendar;
using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Requests;

namespace EventSourcedDisclosure.Api.Requests;

/// <summary>The staff view, and a ledger row (台账): includes the applicant's personal data, until it is erased.</summary>
public sealed record RequestView(
    Guid Id, string Agency, string TrackingCode, DateOnly ReceivedOn, string Channel, string ReceiptRule, Applicant Applicant,
    string Description, string? Purpose, DateOnly? DueOn, bool DueProvisional, int? WorkingDaysLeft, string Status,
    bool Paused, bool Extended, DateOnly? CorrectBy, DateOnly? FeePayBy, string? Outcome, string? Reason, DateOnly? AnsweredOn,
    bool Late, int WorkingDaysOver, DateOnly? ApplicantErasedOn, long Version)
{
    public static RequestView Of(Request r, long version, WorkingCalendar calendar, DateOnly today)
    {
        var (status, left) = Ledger.StatusOf(r, calendar, today);
        return new(r.Id, r.Agency, r.TrackingCode, r.ReceivedOn, Codes.Of(r.Channel), r.ReceiptRule, r.Applicant!, r.Description,
            r.Purpose, r.Due?.On, r.Due?.Provisional ?? false, left, status, r.Paused, r.Extended, r.AwaitingCorrection ? r.CorrectBy : null,
            r.FeeNoticeOn is not null && r.FeePaidOn is null ? r.FeePayBy : null, r.Outcome is { } o ? Codes.Of(o) : null, r.Reason,
            r.AnsweredOn, r.Late, r.WorkingDaysOver, r.ApplicantErasedOn, version);
    }
}

/// <summary>What an applicant sees with the tracking code: no personal data, not the request's text.</summary>
public sealed record TrackingView(string TrackingCode, string Status, DateOnly ReceivedOn, DateOnly? DueOn, bool Extended, bool Paused,
    DateOnly? AnsweredOn, string? Outcome, string? OutcomeLabel);

public static class Ledger
{
    /// <summary>closed, awaitingCorrection, paused, overdue, dueSoon (5 working days or fewer left), open.</summary>
    public static (string Status, int? WorkingDaysLeft) StatusOf(Request r, WorkingCalendar calendar, DateOnly today)
    {
        if (r.IsClosed) return ("closed", null);
        if (r.AwaitingCorrection) return ("awaitingCorrection", null);
        var left = r.Due is { } due ? calendar.WorkingDaysBetween(today, due.On) : (int?)null;
        if (r.Paused) return ("paused", left);
        if (r.Due is { } d && d.On < today) return ("overdue", left);
        if (left is <= RequestDeadlines.DueSoonWorkingDays) return ("dueSoon", left);
        return ("open", left);
    }

    /// <summary>The applicant's view, from the public table; due-soon and overdue are decided with today's date.</summary>
    public static TrackingView Tracking(PublicTracking t, WorkingCalendar calendar, DateOnly today)
    {
        var status = t.Status switch
        {
            "open" when t.DueOn is { } due && due < today => "overdue",
            "open" when t.DueOn is { } due && calendar.WorkingDaysBetween(today, due) <= RequestDeadlines.DueSoonWorkingDays => "dueSoon",
            var s => s,
        };
        var outcome = t.Outcome is { } code && Codes.TryParse<Outcome>(code, out var o) ? o : (Outcome?)null;
        return new(t.TrackingCode, status, t.ReceivedOn, t.DueOn, t.Extended, t.Paused, t.AnsweredOn, t.Outcome,
            outcome is { } x ? OutcomeReasons.Labels[x] : null);
    }
}
