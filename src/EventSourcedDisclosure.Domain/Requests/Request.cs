using EventSourcedDisclosure.Domain.Appeals;
using EventSourcedDisclosure.Domain.Common;

namespace EventSourcedDisclosure.Domain.Requests;

public sealed record Consultation(DateOnly StartedOn, string ThirdParty, DateOnly? RepliedOn);

/// <summary>A change of the due date, for the deadline's explanation.</summary>
public sealed record DueChange(DateOnly On, string Cause, DueDate? Due);

/// <summary>A disclosure request folded from its stream; plain data, kept as a snapshot by the ledger.</summary>
public sealed record Request
{
    public static readonly Request Initial = new();

    public bool Exists { get; init; }
    public Guid Id { get; init; }
    public string Agency { get; init; } = "";
    public DateOnly ReceivedOn { get; init; }
    public RequestChannel Channel { get; init; }
    public string ReceiptRule { get; init; } = "";
    public Applicant? Applicant { get; init; }
    public DateOnly? ApplicantErasedOn { get; init; }
    public string Description { get; init; } = "";
    public string? Purpose { get; init; }
    public string TrackingCode { get; init; } = "";
    public DateOnly? CorrectionNoticeOn { get; init; }
    public DateOnly? CorrectBy { get; init; }
    public DateOnly? CorrectedOn { get; init; }
    public IReadOnlyList<Consultation> Consultations { get; init; } = [];
    public int ExtensionDays { get; init; }
    public DateOnly? ExtendedOn { get; init; }
    public string? ExtensionApprovedBy { get; init; }
    public DateOnly? FeeNoticeOn { get; init; }
    public decimal? FeeAmount { get; init; }
    public DateOnly? FeePayBy { get; init; }
    public DateOnly? FeePaidOn { get; init; }
    public DueDate? Due { get; init; }
    public DateOnly? AnsweredOn { get; init; }
    public Outcome? Outcome { get; init; }
    public string? Reason { get; init; }
    public bool Late { get; init; }
    public int WorkingDaysOver { get; init; }
    public IReadOnlyList<Guid> DisclosedItems { get; init; } = [];
    public IReadOnlyList<DueChange> DueChanges { get; init; } = [];
    public IReadOnlyList<Appeal> Appeals { get; init; } = [];

    public bool IsClosed => AnsweredOn is not null;
    public bool AwaitingCorrection => CorrectionNoticeOn is not null && CorrectedOn is null && !IsClosed;
    public bool Paused => !IsClosed && Consultations.Any(c => c.RepliedOn is null);
    public bool Extended => ExtensionDays > 0;

    public RequestStatus Status =>
        IsClosed ? RequestStatus.Closed
        : AwaitingCorrection ? RequestStatus.AwaitingCorrection
        : Paused ? RequestStatus.Paused
        : RequestStatus.Open;

    public static Request Evolve(Request r, object @event) => @event switch
    {
        RequestReceived e => r with
        {
            Exists = true, Id = e.RequestId, Agency = e.Agency, ReceivedOn = e.ReceivedOn, Channel = e.Channel,
            ReceiptRule = e.ReceiptRule, Applicant = e.Applicant, Description = e.Description, Purpose = e.Purpose,
            TrackingCode = e.TrackingCode, Due = e.Due, DueChanges = [new(e.ReceivedOn, "received", e.Due)],
        },
        CorrectionRequested e => r with
        {
            CorrectionNoticeOn = e.NoticeOn, CorrectBy = e.CorrectBy, Due = null,
            DueChanges = [.. r.DueChanges, new(e.NoticeOn, "correctionRequested", null)],
        },
        CorrectionReceived e => r with
        {
            CorrectedOn = e.CorrectedOn, Due = e.Due, DueChanges = [.. r.DueChanges, new(e.CorrectedOn, "correctionReceived", e.Due)],
        },
        ConsultationStarted e => r with { Consultations = [.. r.Consultations, new(e.StartedOn, e.ThirdParty, null)] },
        ConsultationReplied e => r with
        {
            Consultations = [.. r.Consultations.SkipLast(1), r.Consultations[^1] with { RepliedOn = e.RepliedOn }],
            Due = e.Due, DueChanges = [.. r.DueChanges, new(e.RepliedOn, "consultationReplied", e.Due)],
        },
        RequestExtended e => r with
        {
            ExtensionDays = e.WorkingDays, ExtendedOn = e.ExtendedOn, ExtensionApprovedBy = e.ApprovedBy, Due = e.Due,
            DueChanges = [.. r.DueChanges, new(e.ExtendedOn, "extended", e.Due)],
        },
        FeeNoticeIssued e => r with { FeeNoticeOn = e.NoticeOn, FeeAmount = e.Amount, FeePayBy = e.PayBy },
        FeePaid e => r with { FeePaidOn = e.PaidOn },
        RequestAnswered e => r with
        {
            AnsweredOn = e.AnsweredOn, Outcome = e.Outcome, Reason = e.Reason, Late = e.Late, WorkingDaysOver = e.WorkingDaysOver,
            DisclosedItems = e.DisclosedItems,
        },
        RequestDeadlineRecomputed e => r with
        {
            Due = e.Due, DueChanges = [.. r.DueChanges, new(r.DueChanges[^1].On, $"calendar{e.CalendarYear}Amended", e.Due)],
        },
        ApplicantErased e => r with { Applicant = r.Applicant?.Erased(), ApplicantErasedOn = e.ErasedOn },
        ReconsiderationFiled e => r with { Appeals = [.. r.Appeals, new(e.ReconsiderationId, AppealKind.Reconsideration, e.FiledOn, false, null, null)] },
        LawsuitFiled e => r with { Appeals = [.. r.Appeals, new(e.LawsuitId, AppealKind.Lawsuit, e.FiledOn, e.AfterReconsideration, null, null)] },
        ReconsiderationDecided e => r with { Appeals = r.Appeals.Select(a => a.Id == e.ReconsiderationId ? a with { DecidedOn = e.DecidedOn, Result = e.Result } : a).ToList() },
        LawsuitDecided e => r with { Appeals = r.Appeals.Select(a => a.Id == e.LawsuitId ? a with { DecidedOn = e.DecidedOn, Result = e.Result } : a).ToList() },
        _ => r,
    };
}
