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
    string? RawMetadata,
    DateTimeOffset RecordedAt)
{
    /// <summary>The data as stored (sealed personal fields stay sealed), parsed when asked for: replays never need it.</summary>
    public JsonElement RawData => JsonSerializer.Deserialize<JsonElement>(RawJson);

    /// <summary>
    /// Read by the public reads only (<see cref="EventStore.ReadStreamAsync(string, Guid, long?, DateTimeOffset?, CancellationToken)"/>,
    /// <see cref="EventStore.ReadAllAsync(LogPosition, int, LogFilter, CancellationToken)"/>), and parsed when asked
    /// for. Projections and commands get events without it, live and in a rebuild alike: none
    /// folds it, and turning it into text for every event was a share of every replay.
    /// </summary>
    public EventMetadata Metadata => RawMetadata is null
        ? throw new InvalidOperationException(
            $"Event {Version} of stream {StreamId} was read without its metadata, as projections and commands read events; the store's public reads carry it.")
        : JsonSerializer.Deserialize<EventMetadata>(RawMetadata, EventTypeRegistry.Json)!;
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
