using EventSourcedDisclosure.Domain.Appeals;
using EventSourcedDisclosure.Domain.Items;
using EventSourcedDisclosure.Domain.Requests;

namespace EventSourcedDisclosure.Domain.Statistics;

/// <summary>Where a fact came from in the log: an auditor follows it to the event.</summary>
public sealed record FactSource(string Agency, Guid Stream, long Sequence, DateOnly Date);

/// <summary>What the yearly tables need of a request, by business dates.</summary>
public sealed record RequestFact(
    string Agency, Guid Id, DateOnly ReceivedOn, ApplicantType ApplicantType, long ReceivedSequence,
    DateOnly? AnsweredOn, Outcome? Outcome, string? Reason, long? AnsweredSequence);

public sealed record ItemFact(
    string Agency, Guid Id, Genre Genre, DateOnly WrittenOn, decimal? Amount, long DraftedSequence,
    DateOnly? FirstPublishedOn, long? PublishedSequence, DateOnly? RepealedOn, long? RepealedSequence,
    IReadOnlyDictionary<Channel, DateOnly> Channels);

public sealed record AppealFact(
    string Agency, Guid RequestId, Guid Id, AppealKind Kind, bool AfterReconsideration, DateOnly FiledOn, long FiledSequence,
    DateOnly? DecidedOn, AppealResult? Result, long? DecidedSequence);

public sealed record StatisticsFacts(IReadOnlyList<RequestFact> Requests, IReadOnlyList<ItemFact> Items, IReadOnlyList<AppealFact> Appeals);

public enum ReportFormat { F2019, F2021 }
