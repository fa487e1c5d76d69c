namespace EventSourcedDisclosure.Api.Tests.Infrastructure;

/// <summary>The system clock, moved forward on demand: dates that fall due months later are tested today.</summary>
public sealed class MovableClock : TimeProvider
{
    public TimeSpan Offset { get; set; }
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
