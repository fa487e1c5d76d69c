using EventSourcedDisclosure.Domain.Common;

namespace EventSourcedDisclosure.Api.Hosting;

/// <summary>
/// "As it stood": any stream folded from the log up to a version or to the end of a day (China
/// Standard Time) — one mechanism for every item and request view.
/// </summary>
public sealed record AsOf(long? Version, DateOnly? Date)
{
    public bool Requested => Version is not null || Date is not null;

    /// <summary>The last instant of the day in China Standard Time.</summary>
    public DateTimeOffset? Until => Date is { } d
        ? new DateTimeOffset(d.AddDays(1).ToDateTime(TimeOnly.MinValue), BusinessDate.ChinaStandardTime).AddTicks(-10).ToUniversalTime()
        : null;

    public static AsOf From(long? version, DateOnly? asOf)
    {
        new Validation().Require(version is null or >= 1, "version", "must be 1 or more").ThrowIfAny();
        return new(version, asOf);
    }
}

public static class TimeTravelQueries
{
    public static async Task<(TState State, long Version)> FoldAsync<TState>(
        this EventStore.EventStore store, string tenant, Guid id, TState initial, Func<TState, object, TState> evolve, AsOf asOf, CancellationToken ct) =>
        await store.AggregateStreamAsync(tenant, id, initial, evolve, asOf.Version, asOf.Until, ct);
}
