using EventSourcedDisclosure.Domain.Requests;

namespace EventSourcedDisclosure.Api.Requests;

public sealed record ReceiveBody(DateOnly? ReceivedOn, DateOnly? SubmittedOn, string? Channel, ApplicantInput? Applicant, string? Description, string? Purpose);
public sealed record CorrectionNoticeBody(DateOnly? NoticeOn, DateOnly? CorrectBy, string? Detail);
public sealed record CorrectionBody(DateOnly? CorrectedOn, string? Detail);
public sealed record ConsultationBody(DateOnly? StartedOn, string? ThirdParty);
public sealed record ConsultationReplyBody(DateOnly? RepliedOn, string? Opinion);
public sealed record ExtensionBody(DateOnly? ExtendedOn, int? WorkingDays, string? ApprovedBy, string? Reason);
public sealed record FeeNoticeBody(DateOnly? NoticeOn, string? Basis, int? Quantity, decimal? Amount);
public sealed record FeePaymentBody(DateOnly? PaidOn, decimal? Amount);
public sealed record AnswerBody(DateOnly? AnsweredOn, string? Outcome, string? Reason, string? Detail, WithheldPartInput[]? WithheldParts, Guid[]? DisclosedItems);

public sealed record ErasureBody(string? Reason);
