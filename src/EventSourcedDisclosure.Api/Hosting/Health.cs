using EventSourcedDisclosure.EventStore.Projections;

namespace EventSourcedDisclosure.Api.Hosting;

public static class Health
{
    public static void MapHealth(this WebApplication app)
    {
        app.MapGet("/health/live", () => Results.Ok(new { status = "live" })).AllowAnonymous().ExcludeFromDescription();

        // Ready: the database answers and every async projection is within its allowed lag.
        // Beside it, what this node's command writers did since it started (group commit, known heads),
        // and its runtime's allocation and collection totals.
        app.MapGet("/health/ready", async (ProjectionAdmin admin, IConfiguration config, IServiceProvider services, CommandBatcher batcher, KnownStreams known, CancellationToken ct) =>
        {
            // Which async projections this node's daemon leads: with several nodes, each runs on exactly one.
            var leading = services.GetService<ProjectionDaemon>()?.Leading ?? [];
            var maxLag = TimeSpan.FromSeconds(config.GetValue("Health:MaxProjectionLagSeconds", 30.0));
            try
            {
                var projections = (await admin.StatusAsync(ct))
                    .Where(p => p.Lifecycle == ProjectionLifecycle.Async)
                    .Select(p => new { name = p.Name, pendingEvents = p.PendingEvents, lagSeconds = p.Lag.TotalSeconds, ok = p.Lag <= maxLag, runsHere = leading.Contains(p.Name) })
                    .ToList();
                var ready = projections.All(p => p.ok);
                var (batches, batched) = batcher.Batched;
                var (withoutLoad, stale) = batcher.Unloaded;
                var commands = new { batches, batchedCommands = batched, alone = batcher.Alone, retriedAlone = batcher.RetriedAlone, withoutLoad, staleRetries = stale, knownStreams = known.Count,
                    writers = batcher.Writers, writersBusySeconds = batcher.Busy.TotalSeconds };
                // The runtime's own running totals, which cost nothing to read: what the node allocated,
                // how long its collector held every thread still, and what its JIT has compiled (a
                // benchmark reads them over its slices, and waits for the JIT to settle before timing).
                var runtime = new { allocatedBytes = GC.GetTotalAllocatedBytes(), gcPauseSeconds = GC.GetTotalPauseDuration().TotalSeconds,
                    collections = GC.CollectionCount(0), jitCompiledMethods = System.Runtime.JitInfo.GetCompiledMethodCount(),
                    jitSeconds = System.Runtime.JitInfo.GetCompilationTime().TotalSeconds };
                return Results.Json(new { status = ready ? "ready" : "lagging", database = "ok", projections, commands, runtime },
                    statusCode: ready ? 200 : 503);
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
            {
                return Results.Json(new { status = "unavailable", database = e.Message }, statusCode: 503);
            }
        }).AllowAnonymous().ExcludeFromDescription();
    }
}
