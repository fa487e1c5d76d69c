namespace EventSourcedDisclosure.EventStore;

/// <summary>What the caller believes the stream's version is before its append.</summary>
public readonly record struct ExpectedVersion
{
    private ExpectedVersion(long? value) => Value = value;

    /// <summary>null = any; 0 = no stream yet; n = exactly n.</summary>
    public long? Value { get; }

    public static ExpectedVersion Any => new(null);
    public static ExpectedVersion NoStream => new(0);
    public static ExpectedVersion Exactly(long version) =>
        version >= 0 ? new(version) : throw new ArgumentOutOfRangeException(nameof(version));

    public override string ToString() => Value switch
    {
        null => "any",
        0 => "no stream",
        var v => v.ToString()!,
    };
}
