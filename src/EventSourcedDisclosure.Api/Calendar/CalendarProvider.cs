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
        await using var command = store.DataSource.CreateCommand(VersionSql(store.Options.Schema));
        command.Parameters.Add(new() { Value = CalendarDecider.Tenant });
        command.Parameters.Add(new() { Value = CalendarDecider.StreamId });
        return await RefreshAsync(store, await command.ExecuteScalarAsync(ct) is long v ? v : 0, ct);
    }

    /// <summary>The calendar's version read in a command's stream round trip, then the calendar as of it.</summary>
    public ReadAlongside Version(EventStore.EventStore store, Action<WorkingCalendar> refreshed)
    {
        var command = new Npgsql.NpgsqlBatchCommand(VersionSql(store.Options.Schema));
        command.Parameters.Add(new() { Value = CalendarDecider.Tenant });
        command.Parameters.Add(new() { Value = CalendarDecider.StreamId });
        // A changed calendar is read on a connection of its own: this one is busy with the batch.
        return new(command, async (reader, ct) =>
            refreshed(await RefreshAsync(store, await reader.ReadAsync(ct) ? reader.GetInt64(0) : 0, ct)));
    }

    private static string VersionSql(string schema) => $"select version from {schema}.streams where tenant_id = $1 and id = $2";

    private async Task<WorkingCalendar> RefreshAsync(EventStore.EventStore store, long version, CancellationToken ct)
    {
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
