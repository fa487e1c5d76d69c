namespace EventSourcedDisclosure.Domain.Appeals;

/// <summary>维持 / 纠正 / 其他结果: the result columns of table 四.</summary>
public enum AppealResult { Upheld, Corrected, Other }

public enum AppealKind { Reconsideration, Lawsuit }

/// <summary>行政复议 filed against the agency's handling of a request.</summary>
public sealed record ReconsiderationFiled(Guid RequestId, Guid ReconsiderationId, DateOnly FiledOn, string RecordedBy);

public sealed record ReconsiderationDecided(Guid RequestId, Guid ReconsiderationId, DateOnly DecidedOn, AppealResult Result, string RecordedBy);

/// <summary>行政诉讼; after reconsideration when the applicant sued after a reconsideration decision, wherever it was decided.</summary>
public sealed record LawsuitFiled(Guid RequestId, Guid LawsuitId, DateOnly FiledOn, bool AfterReconsideration, string RecordedBy);

public sealed record LawsuitDecided(Guid RequestId, Guid LawsuitId, DateOnly DecidedOn, AppealResult Result, string RecordedBy);

public sealed record Appeal(Guid Id, AppealKind Kind, DateOnly FiledOn, bool AfterReconsideration, DateOnly? DecidedOn, AppealResult? Result);
