using Npgsql;
using NpgsqlTypes;

namespace EventSourcedDisclosure.EventStore.Projections;

public sealed record ProjectionStatus(
    string Name, ProjectionLifecycle Lifecycle, LogPosition Position, long PendingEvents, TimeSpan Lag);

/// <summary>Operator actions on projections: status, rebuild, catch-up.</summary>
public sealed class ProjectionAdmin(EventStore store)
{
    /// <summary>
    /// A store setting named this plus a projection's name asks for that projection's rebuild: a
    /// migration that changes a read model's rows (not just adds to them) leaves one, and the store
    /// rebuilds it once the migration has committed.
    /// </summary>
    public const string RebuildRequest = "rebuild-requested:";

    private string S => store.Options.Schema;

    public async Task<IReadOnlyList<ProjectionStatus>> StatusAsync(CancellationToken ct = default)
    {
        var result = new List<ProjectionStatus>();
        await using var connection = await store.DataSource.OpenConnectionAsync(ct);
        foreach (var p in store.Options.Projections)
        {
            if (p.Lifecycle == ProjectionLifecycle.Inline)
            {
                result.Add(new(p.Projection.Name, p.Lifecycle, LogPosition.Start, 0, TimeSpan.Zero));
                continue;
            }
            var at = await ProjectionRunner.ReadProgressAsync(connection, null, S, p.Projection.Name, false, ct);
            // Pending counts only what the daemon could already read; lag is the age of the oldest.
            await using var command = new NpgsqlCommand(
                $"select count(*), coalesce(extract(epoch from now() - min(recorded_at)), 0) from {S}.events " +
                "where (tx, seq) > ($1, $2) and tx < pg_snapshot_xmin(pg_current_snapshot())", connection);
            command.Parameters.Add(new() { Value = at.TransactionId, NpgsqlDbType = NpgsqlDbType.Xid8 });
            command.Parameters.Add(new() { Value = at.Sequence });
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            result.Add(new(p.Projection.Name, p.Lifecycle, at, reader.GetInt64(0),
                TimeSpan.FromSeconds((double)reader.GetDecimal(1))));
        }
        return result;
    }

    /// <summary>
    /// Empties a projection and replays the log into it. An async projection is reset and
    /// caught up by whichever daemon leads it (this call drives it when none does). An inline
    /// projection is replayed in one transaction that holds appends back until it is done.
    /// </summary>
    public async Task RebuildAsync(string name, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        var registration = store.Options.Projections.SingleOrDefault(p => p.Projection.Name == name)
            ?? throw new ArgumentException($"No projection named '{name}'.", nameof(name));
        if (registration.Lifecycle == ProjectionLifecycle.Inline)
            await RebuildInlineAsync(registration.Projection, progress, ct);
        else
        {
            await ResetAsyncProjectionAsync(registration.Projection, ct);
            await CatchUpAsync(name, progress, ct);
        }
    }

    private async Task ResetAsyncProjectionAsync(IProjection projection, CancellationToken ct)
    {
        await using var connection = await store.DataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await ProjectionRunner.ReadProgressAsync(connection, tx, S, projection.Name, forUpdate: true, ct);
        await projection.ResetAsync(new ProjectionContext(connection, tx, S), ct);
        await using var update = new NpgsqlCommand(
            $"update {S}.projection_progress set last_tx = '0', last_seq = 0, updated_at = now() where name = $1", connection, tx);
        update.Parameters.Add(new() { Value = projection.Name });
        await update.ExecuteNonQueryAsync(ct);
        await ForgetRequestAsync(connection, tx, projection, ct);
        await tx.CommitAsync(ct);
    }

    private async Task ForgetRequestAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IProjection projection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"delete from {S}.store_settings where name = $1", connection, tx);
        command.Parameters.Add(new() { Value = RebuildRequest + projection.Name });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Waits until the projection has applied every event committed before the call. The daemon
    /// reads only below the cluster's oldest running transaction, so "nothing pending" alone can
    /// come early while a long transaction elsewhere holds that horizon back: the wait is for the
    /// log head as it stood when the call began.
    /// </summary>
    public async Task CatchUpAsync(string name, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        var projection = store.Options.Async.Single(p => p.Name == name);
        var runner = new ProjectionRunner(store, projection);
        var target = await HeadAsync(ct);
        await using var leader = await store.DataSource.OpenConnectionAsync(ct);
        long applied = 0;
        while (true)
        {
            var (position, pending) = await PendingAsync(leader, name, ct);
            if (!pending && position.CompareTo(target) >= 0) return;
            var ran = 0;
            if (pending && await LeadershipLock.TryTakeAsync(leader, S, name, ct))
            {
                try
                {
                    int n;
                    while ((n = await runner.RunBatchAsync(ct)) > 0) { ran += n; progress?.Report(applied += n); }
                }
                finally { await LeadershipLock.ReleaseAsync(leader, S, name); }
            }
            // A daemon elsewhere leads, or the horizon has not yet passed the target.
            if (ran == 0) await Task.Delay(store.Options.DaemonPollInterval, ct);
        }
    }

    // Where the projection stands and whether the daemon could read anything past it. Not
    // StatusAsync's count: at the start of a rebuild that counted the whole log, for every async projection.
    private async Task<(LogPosition Position, bool Pending)> PendingAsync(NpgsqlConnection connection, string name, CancellationToken ct)
    {
        var at = await ProjectionRunner.ReadProgressAsync(connection, null, S, name, false, ct);
        await using var command = new NpgsqlCommand(
            $"select exists (select from {S}.events where (tx, seq) > ($1, $2) and tx < pg_snapshot_xmin(pg_current_snapshot()))", connection);
        command.Parameters.Add(new() { Value = at.TransactionId, NpgsqlDbType = NpgsqlDbType.Xid8 });
        command.Parameters.Add(new() { Value = at.Sequence });
        return (at, (bool)(await command.ExecuteScalarAsync(ct))!);
    }

    /// <summary>The last committed event in replay order, or the start of an empty log.</summary>
    private async Task<LogPosition> HeadAsync(CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand($"select tx, seq from {S}.events order by tx desc, seq desc limit 1");
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new(reader.GetFieldValue<ulong>(0), reader.GetInt64(1)) : LogPosition.Start;
    }

    private async Task RebuildInlineAsync(IProjection projection, IProgress<long>? progress, CancellationToken ct)
    {
        await using var connection = await store.DataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // SHARE mode waits for every in-flight append and blocks new ones until commit, so the
        // replay below sees the whole log and nothing slips in between replay and going live.
        await using (var lockEvents = new NpgsqlCommand($"lock table {S}.events in share mode", connection, tx))
            await lockEvents.ExecuteNonQueryAsync(ct);
        if (projection is IStreamRebuild byStream)
        {
            await RebuildByStreamAsync(projection, byStream, connection, tx, progress, ct);
            return;
        }
        // The replay grows empty tables by thousands of rows inside one transaction.
        await GrowingTables.PlanForAsync(connection, tx, ct);
        var context = new ProjectionContext(connection, tx, S);
        await projection.ResetAsync(context, ct);
        await ReplayInOrderAsync(projection, context, progress, ct);
        await ForgetRequestAsync(connection, tx, projection, ct);
        await tx.CommitAsync(ct);
    }

    // The fresh tables are written and indexed outside the rebuild's transaction (FreshTables),
    // which holds appends and the old tables' writers back throughout and swaps them in at commit.
    private async Task RebuildByStreamAsync(IProjection projection, IStreamRebuild byStream, NpgsqlConnection connection, NpgsqlTransaction tx,
        IProgress<long>? progress, CancellationToken ct)
    {
        await using var fresh = await FreshTables.CreateAsync(connection, tx, store.DataSource, S, byStream.Tables, ct);
        var swapping = false;
        try
        {
            var (writer, writing) = fresh.Writer;
            await GrowingTables.PlanForAsync(writer, writing, ct);
            var context = new ProjectionContext(writer, writing, S, fresh.Names);
            await ReplayByStreamAsync(byStream, context, progress, ct);
            if (projection is IRebuildAware aware) await aware.AfterReplayAsync(context, ct);
            await fresh.BuildIndexesAsync(ct);
            await tx.SaveAsync("swap", ct);
            swapping = true;
            await fresh.SwapAsync(ct);
            await ForgetRequestAsync(connection, tx, projection, ct);
            await tx.CommitAsync(ct);
        }
        catch
        {
            // The copies go while this transaction still holds the old tables' lock, after giving
            // back what the swap took of them (the drop would wait for it). Best effort: a copy
            // left behind is dropped by the next rebuild.
            try
            {
                if (swapping) await tx.RollbackAsync("swap", CancellationToken.None);
                await fresh.DiscardAsync();
            }
            catch (Exception) { }
            throw;
        }
    }

    private async Task ReplayInOrderAsync(IProjection projection, ProjectionContext context, IProgress<long>? progress, CancellationToken ct)
    {
        var (connection, tx) = (context.Connection, context.Transaction);
        var after = LogPosition.Start;
        long applied = 0;
        var dataOf = (projection as IReadsEventData)?.EventTypesWithData;
        while (true)
        {
            await using var command = new NpgsqlCommand(
                $"select {EventStore.EventColumnsWithDataOf(dataOf, 4)} from {S}.events " +
                "where (tx, seq) > ($1, $2) order by tx, seq limit $3", connection, tx);
            command.Parameters.Add(new() { Value = after.TransactionId, NpgsqlDbType = NpgsqlDbType.Xid8 });
            command.Parameters.Add(new() { Value = after.Sequence });
            command.Parameters.Add(new() { Value = store.Options.DaemonBatchSize * 10 });
            EventStore.AddDataOf(command, dataOf);
            var events = await store.ReadEventsAsync(command, ct, connection, tx);
            if (events.Count == 0) break;
            await projection.ApplyAsync(context, events, ct);
            await context.FlushAsync(ct);
            after = new LogPosition(events[^1].TransactionId, events[^1].Sequence);
            progress?.Report(applied += events.Count);
        }
    }

    // Pages of streams in key order, each read whole with its events on a connection of its own
    // while the rebuild's transaction folds and copies the page before: reading (PostgreSQL
    // rendering the events, .NET parsing them) and writing then overlap instead of taking turns.
    // Where each page starts is known up front, so two readers take alternate pages (one alone
    // kept the writer waiting for a quarter of the rebuild, with a core partly idle); the writer
    // takes the pages in order. The readers see what the rebuild would: the share lock on the
    // events holds every append back until the rebuild commits.
    private async Task ReplayByStreamAsync(IStreamRebuild projection, ProjectionContext context, IProgress<long>? progress, CancellationToken ct)
    {
        var starts = await PageStartsAsync(projection, context, ct);
        var readers = Math.Min(PageReaders, starts.Count);
        var pages = Enumerable.Range(0, readers).Select(_ => System.Threading.Channels.Channel.CreateBounded<IReadOnlyList<StoredEvent>>(1)).ToArray();
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reading = Enumerable.Range(0, readers).Select(r => Task.Run(() => ReadStreamPagesAsync(
            projection, starts.Where((_, page) => page % readers == r).ToList(), pages[r].Writer, stopReading.Token), CancellationToken.None)).ToArray();
        long applied = 0;
        try
        {
            for (var page = 0; page < starts.Count; page++)
            {
                var events = await pages[page % readers].Reader.ReadAsync(ct);
                var streams = events.GroupBy(e => (e.TenantId, e.StreamId)).Select(g => (IReadOnlyList<StoredEvent>)g.ToList()).ToList();
                await projection.WriteStreamsAsync(context, streams, ct);
                await context.FlushAsync(ct);
                progress?.Report(applied += events.Count);
            }
        }
        catch
        {
            // The writing side failed (or a reading side did, and said so through its channel):
            // stop the readers, and report the first failure.
            await stopReading.CancelAsync();
            try { await Task.WhenAll(reading); } catch (Exception) { }
            throw;
        }
        await Task.WhenAll(reading);
        // Done with the whole log (the other streams' events have nothing for this projection).
        if (progress is not null)
        {
            await using var count = new NpgsqlCommand($"select count(*) from {S}.events", context.Connection, context.Transaction);
            progress.Report((long)(await count.ExecuteScalarAsync(ct))!);
        }
    }

    // The first key of every page: streams 1, 2001, 4001, … of the type, in key order.
    private async Task<List<(string Tenant, Guid Stream)>> PageStartsAsync(IStreamRebuild projection, ProjectionContext context, CancellationToken ct)
    {
        await using var command = context.Command($"""
            select tenant_id, id from (select tenant_id, id, row_number() over (order by tenant_id, id) as n from {S}.streams where type = $1) s
             where n % $2 = 1 order by tenant_id, id
            """);
        command.Parameters.Add(new() { Value = projection.StreamType });
        command.Parameters.Add(new() { Value = store.Options.RebuildPageStreams });
        var starts = new List<(string, Guid)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) starts.Add((reader.GetString(0), reader.GetGuid(1)));
        return starts;
    }

    private async Task ReadStreamPagesAsync(IStreamRebuild projection, IReadOnlyList<(string Tenant, Guid Stream)> starts,
        System.Threading.Channels.ChannelWriter<IReadOnlyList<StoredEvent>> pages, CancellationToken ct)
    {
        Exception? failure = null;
        try
        {
            await using var connection = await store.DataSource.OpenConnectionAsync(ct);
            foreach (var (tenant, stream) in starts)
            {
                // Each stream's events through the primary key: as a semi-join the planner may hash the
                // page against a scan of the whole log, for every page (measured: items 39 s → 97 s).
                await using var read = new NpgsqlCommand(
                    $"select e.* from (select tenant_id, id from {S}.streams where type = $1 and (tenant_id, id) >= ($2, $3) " +
                    "order by tenant_id, id limit $4) p cross join lateral " +
                    $"(select {EventStore.EventColumns} from {S}.events where tenant_id = p.tenant_id and stream_id = p.id " +
                    "and ($5::text[] is null or type = any($5)) order by version) e order by p.tenant_id, p.id, e.version", connection);
                read.Parameters.Add(new() { Value = projection.StreamType });
                read.Parameters.Add(new() { Value = tenant });
                read.Parameters.Add(new() { Value = stream });
                read.Parameters.Add(new() { Value = store.Options.RebuildPageStreams });
                read.Parameters.Add(new() { Value = (object?)projection.EventTypes?.ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                await pages.WriteAsync(await store.ReadEventsAsync(read, ct, connection), ct);
            }
        }
        catch (Exception e) { failure = e; throw; }
        finally { pages.TryComplete(failure); }
    }

    // Connections reading pages for a by-stream rebuild.
    private const int PageReaders = 2;
}
