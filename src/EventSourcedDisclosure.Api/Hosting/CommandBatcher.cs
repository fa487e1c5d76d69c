using System.Threading.Channels;
using EventSourcedDisclosure.EventStore;
using Npgsql;

namespace EventSourcedDisclosure.Api.Hosting;

/// <summary>
/// Group commit. A few writers take the commands waiting for them and run them in one
/// transaction: every stream loaded and locked in one round trip, each decision made in turn,
/// every append and its inline read models sent with the COMMIT in a second — one WAL flush for
/// all. When the writers are idle a command runs alone at once, so batches form only under load,
/// which is when round trips and commits are what the machine spends its time on.
/// A batch takes one command per agency (each decides from its agency's chain head), in agency
/// order (the chain locks are then always taken in one order). If anything in a batch fails before
/// its COMMIT, or PostgreSQL refuses a statement of it (then nothing of it was written), each of its
/// commands runs again alone and answers for itself: a refused command never takes others with it.
/// A command whose stream a writer's own commit left (<see cref="KnownStreams"/>) needs no load:
/// when every command of a batch is such, the batch is one round trip, its heads checked under
/// the locks with the COMMIT. A batch decided from known heads that fails runs once more with a load.
/// Each writer keeps its connection while commands keep coming (<see cref="WriterConnection"/>).
/// </summary>
public sealed class CommandBatcher : IAsyncDisposable
{
    private readonly EventStore.EventStore _store;
    private readonly ILogger<CommandBatcher> _log;
    private readonly int _maxBatch;
    private readonly Channel<QueuedCommand> _queue = Channel.CreateUnbounded<QueuedCommand>();
    private readonly Task[] _writers;
    private readonly KnownStreams? _known;
    private long _batches, _batchedCommands, _alone, _retriedAlone, _withoutLoad, _stale, _busyTicks;

    public CommandBatcher(EventStore.EventStore store, KnownStreams known, IConfiguration config, ILogger<CommandBatcher> log)
    {
        _store = store;
        _log = log;
        // 0: every command loads its stream, as when another node writes the same agencies all the time.
        _known = config.GetValue("Commands:KnownStreams", KnownStreams.DefaultCapacity) > 0 ? known : null;
        _maxBatch = Math.Max(1, config.GetValue("Commands:MaxBatch", 16));
        // 0: no group commit, every command runs alone in its request.
        var writers = Math.Max(0, config.GetValue("Commands:Writers", 2));
        _writers = Enumerable.Range(0, writers).Select(_ => Task.Run(WriteAsync)).ToArray();
    }

    /// <summary>Transactions that carried more than one command, and those commands.</summary>
    public (long Batches, long Commands) Batched => (Interlocked.Read(ref _batches), Interlocked.Read(ref _batchedCommands));

    /// <summary>Transactions a writer ran for one command: under load, each is a commit (and a WAL flush) a batch would have shared.</summary>
    public long Alone => Interlocked.Read(ref _alone);

    /// <summary>
    /// The writers' time inside transactions (loading, deciding, the round trips and the commit's
    /// flush), summed over writers: beside the wall time × <see cref="Writers"/>, how much of the time
    /// commands had a writer to wait for rather than work still on its way to one.
    /// </summary>
    public TimeSpan Busy => TimeSpan.FromSeconds(Interlocked.Read(ref _busyTicks) / (double)System.Diagnostics.Stopwatch.Frequency);

    public int Writers => _writers.Length;

    /// <summary>Commands that ran again alone after their batch failed.</summary>
    public long RetriedAlone => Interlocked.Read(ref _retriedAlone);

    /// <summary>Commands decided from known heads, without a load; batches that ran again with a load because a known head was stale.</summary>
    public (long WithoutLoad, long Stale) Unloaded => (Interlocked.Read(ref _withoutLoad), Interlocked.Read(ref _stale));

    /// <remarks>
    /// Once queued, a command is written even if its caller goes away, as one whose COMMIT was
    /// already sent would be: a writer never abandons a batch for one caller.
    /// </remarks>
    public Task<CommandOutcome> RunAsync(QueuedCommand command, CancellationToken ct)
    {
        if (_writers.Length == 0) return command.RunAloneAsync(_store, ct);
        if (!_queue.Writer.TryWrite(command)) throw new OperationCanceledException("The service is stopping.");
        return command.Done.Task;
    }

    private async Task WriteAsync()
    {
        // Commands of an agency the batch already had: first in the writer's next batch.
        var carried = new List<QueuedCommand>();
        var reader = _queue.Reader;
        await using var connection = new WriterConnection(_store.DataSource);
        while (carried.Count > 0 || await WaitForCommandsAsync(reader, connection))
        {
            var batch = new List<QueuedCommand>();
            var tenants = new HashSet<string>(StringComparer.Ordinal);
            var waiting = carried;
            carried = [];
            foreach (var command in waiting)
                (batch.Count < _maxBatch && tenants.Add(command.Target.Tenant) ? batch : carried).Add(command);
            while (batch.Count < _maxBatch && reader.TryRead(out var next))
                (tenants.Add(next.Target.Tenant) ? batch : carried).Add(next);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await RunTogetherAsync(batch, connection);
            Interlocked.Add(ref _busyTicks, System.Diagnostics.Stopwatch.GetTimestamp() - started);
        }
    }

    // Nothing waiting: the writer's connection goes back to the pool if nothing comes for a while.
    private static async Task<bool> WaitForCommandsAsync(ChannelReader<QueuedCommand> reader, WriterConnection connection)
    {
        if (!connection.Held || reader.TryPeek(out _)) return await reader.WaitToReadAsync();
        using (var idle = new CancellationTokenSource(WriterConnection.IdleRelease))
        {
            try { return await reader.WaitToReadAsync(idle.Token); }
            catch (OperationCanceledException) { }
        }
        await connection.ReleaseAsync();
        return await reader.WaitToReadAsync();
    }

    private async Task RunAloneAsync(QueuedCommand command)
    {
        try { command.Done.TrySetResult(await command.RunAloneAsync(_store, CancellationToken.None)); }
        catch (Exception e) { command.Done.TrySetException(e); }
    }

    internal async Task RunTogetherAsync(List<QueuedCommand> batch, WriterConnection? connection = null)
    {
        batch.Sort((a, b) => string.CompareOrdinal(a.Target.Tenant, b.Target.Tenant));
        var known = batch.Select(c => _known?.Take(c)).ToArray();
        var outcomes = new CommandOutcome[batch.Count];
        var committing = false;
        while (true)
        {
            try
            {
                await using var session = connection is null ? await _store.OpenSessionAsync() : await _store.OpenSessionOnAsync(await connection.OpenAsync());
                var loaded = await session.OpenForAppendAsync(batch.Select((c, i) => c.Target with { Known = known[i] }).ToList());
                for (var i = 0; i < batch.Count; i++)
                    outcomes[i] = await batch[i].DecideAsync(session, loaded[i], commit: false, CancellationToken.None);
                committing = true;
                await session.CommitQueuedAsync();
                _known?.Remember(session, batch);
                break;
            }
            catch (Exception e) when (!committing || e is PostgresException)
            {
                // Nothing of the batch was written.
                var stale = e is PostgresException { SqlState: KnownHeads.StaleSqlState };
                if (known.Any(k => k is not null) && (stale || batch.Count == 1))
                {
                    // Decided from known heads: something else wrote a tenant or stream the writers
                    // knew (another node, the CLI), or the one command was refused, maybe for what
                    // was no longer so. Once more, from what a load reads.
                    _log.LogDebug(e, "A batch decided from known heads failed; it runs again with a load.");
                    if (stale) Interlocked.Increment(ref _stale);
                    foreach (var command in batch) _known?.Forget(command);
                    known = new KnownHeads?[batch.Count];
                    committing = false;
                    continue;
                }
                if (batch.Count == 1)
                {
                    batch[0].Done.TrySetException(e);
                    return;
                }
                // Each command again, alone, answers for itself.
                _log.LogDebug(e, "A batch of {Count} commands failed; each runs again alone.", batch.Count);
                Interlocked.Add(ref _retriedAlone, batch.Count);
                foreach (var command in batch) _known?.Forget(command); // what they write alone is not remembered
                await Task.WhenAll(batch.Select(RunAloneAsync));
                return;
            }
            catch (Exception e)
            {
                // The COMMIT was sent and no answer came: whether it took is unknown, as for a single
                // command whose connection dropped. Running the commands again could write them twice.
                foreach (var command in batch) command.Done.TrySetException(e);
                return;
            }
        }
        if (batch.Count > 1)
        {
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _batchedCommands, batch.Count);
        }
        else Interlocked.Increment(ref _alone);
        Interlocked.Add(ref _withoutLoad, known.Count(k => k is not null));
        for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(outcomes[i]);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }
}
