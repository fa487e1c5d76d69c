using EventSourcedDisclosure.Domain.Items;

namespace EventSourcedDisclosure.Domain.Requests;

/// <summary>Personal data: shown only in staff views of the agency, never in tracking or logs.
/// Stored sealed (DomainEvents.PersonalData); Name is null once the applicant's data was erased.</summary>
public sealed record Applicant(ApplicantType Type, string? Name, string? IdNumber, string? Phone, string? Address, string? Email)
{
    public Applicant Erased() => new(Type, null, null, null, null, null);
}

/// <summary>A due date as decided when the event was recorded, and whether it reaches a year without calendar data.</summary>
public sealed record DueDate(DateOnly On, bool Provisional);

public sealed record RequestReceived(
    Guid RequestId, string Agency, DateOnly ReceivedOn, RequestChannel Channel, string ReceiptRule, DateOnly? SubmittedOn,
    Applicant Applicant, string Description, string? Purpose, string TrackingCode, DueDate Due, string RecordedBy);

/// <summary>补正告知 (第三十条): the answer period stops until the corrected request arrives.</summary>
public sealed record CorrectionRequested(Guid RequestId, DateOnly NoticeOn, DateOnly CorrectBy, string Detail, string RecordedBy);

/// <summary>The corrected request arrived: the answer period runs again from this day.</summary>
public sealed record CorrectionReceived(Guid RequestId, DateOnly CorrectedOn, string Detail, DueDate Due, string RecordedBy);

/// <summary>征求第三方意见 (第三十二条): the time until the reply does not count (第三十三条第二款).</summary>
public sealed record ConsultationStarted(Guid RequestId, DateOnly StartedOn, string ThirdParty, string RecordedBy);

public sealed record ConsultationReplied(Guid RequestId, DateOnly RepliedOn, string Opinion, DueDate Due, string RecordedBy);

/// <summary>延期 (第三十三条): once, at most 20 working days, approved by the head of the disclosure office.</summary>
public sealed record RequestExtended(Guid RequestId, DateOnly ExtendedOn, int WorkingDays, string ApprovedBy, string Reason, DueDate Due, string RecordedBy);

/// <summary>信息处理费 收费通知 (国办函〔2020〕109号): the applicant has 20 working days from the day after to pay.</summary>
public sealed record FeeNoticeIssued(Guid RequestId, DateOnly NoticeOn, FeeBasis Basis, int Quantity, decimal Amount, DateOnly PayBy, string RecordedBy);

public sealed record FeePaid(Guid RequestId, DateOnly PaidOn, decimal Amount, string RecordedBy);

public sealed record WithheldPart(string Description, WithholdingReason Reason);

/// <summary>The answer: one outcome, one reason where the yearly table has sub-rows; lateness against the due date in force.</summary>
public sealed record RequestAnswered(
    Guid RequestId, DateOnly AnsweredOn, Outcome Outcome, string? Reason, string Detail, IReadOnlyList<WithheldPart> WithheldParts,
    IReadOnlyList<Guid> DisclosedItems, DueDate? DueInForce, bool Late, int WorkingDaysOver, string RecordedBy);

/// <summary>The calendar of a year changed and with it this open request's due date.</summary>
public sealed record RequestDeadlineRecomputed(Guid RequestId, DueDate Previous, DueDate Due, int CalendarYear, string Reason);

/// <summary>
/// The applicant's personal data was erased at the end of its retention period: its key is
/// destroyed with this event, the request and its counts stay.
/// </summary>
public sealed record ApplicantErased(Guid RequestId, DateOnly ErasedOn, DateOnly RetainedUntil, string Reason, string RecordedBy);
