namespace EventSourcedDisclosure.EventStore;

/// <summary>The stream was not at the expected version; nothing was written.</summary>
public sealed class ConcurrencyException(Guid streamId, ExpectedVersion expected, long actual)
    : Exception($"Stream {streamId} is at version {actual}, expected {expected}.")
{
    public Guid StreamId { get; } = streamId;
    public ExpectedVersion Expected { get; } = expected;
    public long ActualVersion { get; } = actual;
}

/// <summary>An idempotency key came back with a different request; nothing was written.</summary>
public sealed class IdempotencyKeyReusedException(string key)
    : Exception($"Idempotency key '{key}' was already used for a different request.")
{
    public string Key { get; } = key;
}
