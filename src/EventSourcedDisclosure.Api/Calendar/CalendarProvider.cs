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
    // The calendar with the stream version it was built from, swapped as one (-1: not read yet).
    private volatile Built _built = new(WorkingCalendar.China, [], -1);

    private sealed record Built(WorkingCalendar Calendar, IReadOnlyList<CalendarYearSet> Years, long Version);

    public WorkingCalendar Current => _built.Calendar;
    public IReadOnlyList<CalendarYearSet> Years => _built.Years;

    public async Task<WorkingCalendar> RefreshAsync(EventStore.EventStore store, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand(VersionSql(store.Options.Schema));
        command.Parameters.Add(new() { Value = CalendarDecider.Tenant });
        command.Parameters.Add(new() { Value = CalendarDecider.StreamId });
        return await RefreshAsync(store, await command.ExecuteScalarAsync(ct) is long v ? v : 0, ct);
    }

    /// <summary>
    /// The calendar's version read in a command's stream round trip, then the calendar as of it.
    /// <paramref name="refreshed"/> gets the calendar held now at once, and the query carries its
    /// version (<see cref="ReadAlongside.Known"/>): a writer that skips the query checks it instead.
    /// </summary>
    public ReadAlongside Version(EventStore.EventStore store, Action<WorkingCalendar> refreshed)
    {
        var command = new Npgsql.NpgsqlBatchCommand(VersionSql(store.Options.Schema));
        command.Parameters.Add(new() { Value = CalendarDecider.Tenant });
        command.Parameters.Add(new() { Value = CalendarDecider.StreamId });
        // A changed calendar is read on a connection of its own: this one is busy with the batch.
        var query = new ReadAlongside(command, async (reader, ct) =>
            refreshed(await RefreshAsync(store, await reader.ReadAsync(ct) ? reader.GetInt64(0) : 0, ct)));
        var held = _built;
        if (held.Version < 0) return query;
        refreshed(held.Calendar);
        return query with { Known = new StreamStamp(CalendarDecider.Tenant, CalendarDecider.StreamId, held.Version) };
    }

    private static string VersionSql(string schema) => $"select version from {schema}.streams where tenant_id = $1 and id = $2";

    private async Task<WorkingCalendar> RefreshAsync(EventStore.EventStore store, long version, CancellationToken ct)
    {
        if (_built is var held && held.Version == version) return held.Calendar;

        await _lock.WaitAsync(ct);
        try
        {
            var events = await store.ReadStreamAsync(CalendarDecider.Tenant, CalendarDecider.StreamId, ct: ct);
            var years = events.Select(e => e.Data).OfType<CalendarYearSet>().ToList();
            _built = new Built(CalendarDecider.Build(years), years, events.Count == 0 ? 0 : events[^1].Version);
            return _built.Calendar;
        }
        finally { _lock.Release(); }
    }
}
