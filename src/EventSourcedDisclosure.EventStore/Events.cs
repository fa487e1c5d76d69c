using System.Text.Json;

namespace EventSourcedDisclosure.EventStore;

/// <summary>Who did it and in which chain of work; stored with every event.</summary>
public sealed record EventMetadata(
    string Actor,
    string? CorrelationId = null,
    string? CausationId = null)
{
    public static readonly EventMetadata System = new("system");
}

/// <summary>An event as the log holds it.</summary>
public sealed record StoredEvent(
    long Sequence,
    ulong TransactionId,
    string TenantId,
    Guid StreamId,
    long Version,
    string Type,
    object Data,
    string RawJson,
    string RawMetadata,
    DateTimeOffset RecordedAt)
{
    /// <summary>The data as stored (sealed personal fields stay sealed), parsed when asked for: replays never need it.</summary>
    public JsonElement RawData => JsonSerializer.Deserialize<JsonElement>(RawJson);

    /// <summary>
    /// Parsed when asked for: no projection reads it, and parsing it for every event read was
    /// a share of every replay and of every command's stream read.
    /// </summary>
    public EventMetadata Metadata => JsonSerializer.Deserialize<EventMetadata>(RawMetadata, EventTypeRegistry.Json)!;
}

/// <summary>The data of an event its reader did not ask for (<see cref="Projections.IReadsEventData"/>).</summary>
public sealed record DataNotRead(string Type);

/// <summary>An event whose stored name no registered type claims (kept, never dropped).</summary>
public sealed record UnknownEvent(string Type, JsonElement Data);

/// <summary>Position in replay order: (transaction id, sequence). See docs/event-store.md.</summary>
public readonly record struct LogPosition(ulong TransactionId, long Sequence) : IComparable<LogPosition>
{
    public static readonly LogPosition Start = new(0, 0);

    public int CompareTo(LogPosition other) =>
        TransactionId != other.TransactionId
            ? TransactionId.CompareTo(other.TransactionId)
            : Sequence.CompareTo(other.Sequence);

    public override string ToString() => $"{TransactionId}:{Sequence}";
}

public sealed record AppendResult(
    Guid StreamId,
    long Version,
    IReadOnlyList<long> Sequences,
    bool Replayed,
    JsonElement? StoredResult);

/// <summary>An append tagged so that a retry of the same request writes nothing new.</summary>
public sealed record IdempotencyTag(string Key, string RequestHash, object? Result);
