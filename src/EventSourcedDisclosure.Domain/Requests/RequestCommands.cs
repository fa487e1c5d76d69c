namespace EventSourcedDisclosure.Domain.Requests;

public sealed record ApplicantInput(string? Type, string? Name, string? IdNumber, string? Phone, string? Address, string? Email);

public sealed record ReceiveRequest(
    Guid RequestId, string Agency, DateOnly? ReceivedOn, DateOnly? SubmittedOn, string? Channel, ApplicantInput? Applicant,
    string? Description, string? Purpose, string TrackingCode, string Actor, DateOnly Today);

public sealed record RequestCorrection(DateOnly? NoticeOn, DateOnly? CorrectBy, string? Detail, string Actor, DateOnly Today);

public sealed record ReceiveCorrection(DateOnly? CorrectedOn, string? Detail, string Actor, DateOnly Today);

public sealed record StartConsultation(DateOnly? StartedOn, string? ThirdParty, string Actor, DateOnly Today);

public sealed record RecordConsultationReply(DateOnly? RepliedOn, string? Opinion, string Actor, DateOnly Today);

public sealed record ExtendRequest(DateOnly? ExtendedOn, int? WorkingDays, string? ApprovedBy, string? Reason, string Actor, DateOnly Today);

public sealed record IssueFeeNotice(DateOnly? NoticeOn, string? Basis, int? Quantity, decimal? Amount, string Actor, DateOnly Today);

public sealed record RecordFeePayment(DateOnly? PaidOn, decimal? Amount, string Actor, DateOnly Today);

public sealed record WithheldPartInput(string? Description, string? Reason);

public sealed record AnswerRequest(
    DateOnly? AnsweredOn, string? Outcome, string? Reason, string? Detail, IReadOnlyList<WithheldPartInput>? WithheldParts,
    IReadOnlyList<Guid>? DisclosedItems, string Actor, DateOnly Today);

/// <summary>Erase the applicant's personal data; RetentionYears is the deployment's period for request files.</summary>
public sealed record EraseApplicant(string? Reason, int RetentionYears, string Actor, DateOnly Today);
