using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EventSourcedDisclosure.EventStore.Projections;

/// <summary>
/// Runs every async projection on exactly one node: each projection's loop first takes a
/// session advisory lock on a connection of its own, held for as long as it leads. A node that
/// dies loses its connection and with it the lock, and another node takes over.
/// </summary>
public sealed class ProjectionDaemon(EventStore store, ILogger<ProjectionDaemon> logger) : BackgroundService
{
    private readonly Dictionary<string, bool> _leading = new();

    /// <summary>The projections this node currently runs.</summary>
    public IReadOnlyCollection<string> Leading
    {
        get { lock (_leading) return _leading.Where(p => p.Value).Select(p => p.Key).ToList(); }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(store.Options.Async.Select(p => RunAsync(new ProjectionRunner(store, p), stoppingToken)));

    private async Task RunAsync(ProjectionRunner runner, CancellationToken ct)
    {
        var name = runner.Projection.Name;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var leader = await store.DataSource.OpenConnectionAsync(ct);
                if (!await LeadershipLock.TryTakeAsync(leader, store.Options.Schema, name, ct))
                {
                    await Task.Delay(store.Options.LeadershipRetryInterval, ct);
                    continue;
                }
                SetLeading(name, true);
                logger.LogInformation("Projection {Projection}: this node runs it", name);
                try
                {
                    while (!ct.IsCancellationRequested)
                    {
                        // A batch that was started always runs to commit: shutdown waits for it.
                        // Behind (a batch of the configured size or more), the next runs at once;
                        // otherwise events gather for a poll interval first. Run back to back under
                        // a steady load, batches held a few events each and each paid its own
                        // transaction, checkpoint and durable commit: CPU the commands needed.
                        if (await runner.RunBatchAsync(CancellationToken.None) >= store.Options.DaemonBatchSize) continue;
                        await Task.Delay(store.Options.DaemonPollInterval, ct);
                        await LeadershipLock.CheckAliveAsync(leader, ct);
                    }
                }
                finally
                {
                    SetLeading(name, false);
                    await LeadershipLock.ReleaseAsync(leader, store.Options.Schema, name);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A failing batch rolled back; the projection stays where it was and retries.
                logger.LogError(e, "Projection {Projection} failed; retrying", name);
                try { await Task.Delay(store.Options.LeadershipRetryInterval, ct); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    private void SetLeading(string name, bool leading)
    {
        lock (_leading) _leading[name] = leading;
    }
}

internal static class LeadershipLock
{
    // Two-key form: a separate lock space from the one-key locks appends take on streams.
    private const string Key = "hashtext($1), hashtext($2)";

    public static async Task<bool> TryTakeAsync(NpgsqlConnection c, string schema, string name, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select pg_try_advisory_lock({Key})", c);
        command.Parameters.Add(new() { Value = schema });
        command.Parameters.Add(new() { Value = name });
        // Not cancellable: a lock granted as the call is cancelled would stay with a pooled
        // connection (they are not reset on return), held by nobody who knows it.
        return (bool)(await command.ExecuteScalarAsync(CancellationToken.None))!;
    }

    public static async Task CheckAliveAsync(NpgsqlConnection c, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("select 1", c);
        await command.ExecuteScalarAsync(ct);
    }

    public static async Task ReleaseAsync(NpgsqlConnection c, string schema, string name)
    {
        if (c.State != System.Data.ConnectionState.Open) return;
        try
        {
            await using var command = new NpgsqlCommand($"select pg_advisory_unlock({Key})", c);
            command.Parameters.Add(new() { Value = schema });
            command.Parameters.Add(new() { Value = name });
            await command.ExecuteScalarAsync();
        }
        catch (NpgsqlException) { } // the lock goes with the connection anyway
    }
}
