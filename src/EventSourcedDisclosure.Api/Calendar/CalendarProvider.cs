using EventSourcedDisclosure.Domain.Calendar;
using EventSourcedDisclosure.EventStore;

namespace EventSourcedDisclosure.Api.Calendar;

/// <summary>
/// The working-day calendar in force: the shipped notices with the operator's years from the
/// calendar stream laid over them. Commands refresh it first (one version lookup), so an
/// amendment made on another node is seen by the next command here.
/// </summary>
public sealed class CalendarProvider
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private long _version = -1;

    public WorkingCalendar Current { get; private set; } = WorkingCalendar.China;
    public IReadOnlyList<CalendarYearSet> Years { get; private set; } = [];

    public async Task<WorkingCalendar> RefreshAsync(EventStore.EventStore store, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand(
            $"select version from {store.Options.Schema}.streams where tenant_id = $1 and id = $2");
        command.Parameters.Add(new() { Value = CalendarDecider.Tenant });
        command.Parameters.Add(new() { Value = CalendarDecider.StreamId });
        var version = await command.ExecuteScalarAsync(ct) is long v ? v : 0;
        if (version == Volatile.Read(ref _version)) return Current;

        await _lock.WaitAsync(ct);
        try
        {
            var events = await store.ReadStreamAsync(CalendarDecider.Tenant, CalendarDecider.StreamId, ct: ct);
            Years = events.Select(e => e.Data).OfType<CalendarYearSet>().ToList();
            Current = CalendarDecider.Build(Years);
            Volatile.Write(ref _version, events.Count == 0 ? 0 : events[^1].Version);
            return Current;
        }
        finally { _lock.Release(); }
    }
}
