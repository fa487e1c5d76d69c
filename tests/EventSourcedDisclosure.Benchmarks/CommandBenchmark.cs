using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EventSourcedDisclosure.Api.Hosting;
using Npgsql;
using NpgsqlTypes;

namespace EventSourcedDisclosure.Benchmarks;

/// <summary>
/// Commands over HTTP on loopback from 16 clients, each in an agency of its own (a province's
/// clerks work in different agencies): items drafted → attributed → reviewed → published,
/// requests received → answered. Beside it, the ceiling: the same appends — the same rows per
/// transaction, the same version check, the same concurrency — straight through Npgsql. The two
/// take turns in slices (<see cref="Turns"/>), each counted over its own. While the commands run
/// the async daemon's lag is sampled; the API's peak RSS is read at the end.
/// </summary>
public static class CommandBenchmark
{
    // Rows per command in the mix: draft 1, attribute 1, review 1, publish 2 (serial + published), receive 1, answer 1.
    private static readonly int[] RowsPerStep = [1, 1, 1, 2, 1, 1];

    public static async Task RunAsync(Bench bench)
    {
        var scale = bench.Scale;
        var connection = await bench.CreateDatabaseAsync("bench_commands");
        var folder = Directory.CreateDirectory(Path.Combine(bench.WorkFolder, "api-commands")).FullName;
        await using var api = await ApiHost.StartAsync(connection, folder);
        var admin = TokenIssuer.Mint(ApiHost.SigningKey, "bench-admin", "bench-admin", ["*:admin"]);
        using (var setup = api.Client(admin))
            for (var c = 0; c < scale.Clients; c++)
                (await setup.PutAsJsonAsync($"/api/v1/agencies/b{c:00}", new { name = $"基准{c}局", region = "130525", indexPrefix = $"b{c:00}" }))
                    .EnsureSuccessStatusCode();

        await using var rawSource = await CreateRawAppendsAsync(bench);
        var payload = RawPayload();

        var latencies = new ConcurrentBag<double>();
        var lags = new List<double>();
        var turns = new Turns();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, scale.Clients).Select(c => Task.Run(() => ClientAsync(api, c, latencies, turns, stop.Token))).ToList();
        var writers = Enumerable.Range(0, scale.Clients).Select(_ => Task.Run(() => RawWriterAsync(rawSource, payload, turns, stop.Token))).ToList();
        // Each load warms up alone first: the runtime compiling the command path, new tables' first statistics.
        turns.Give(Load.Http, counted: false);
        await Task.Delay(scale.HttpWarmUp);
        turns.Give(Load.Raw, counted: false);
        await Task.Delay(scale.RawWarmUp);
        await using (var analyze = rawSource.CreateCommand("analyze raw_streams, raw_events")) await analyze.ExecuteNonQueryAsync();
        var sampler = SampleLagAsync(connection, lags, turns, stop.Token);
        if (ServerSettings.Statements) await StatementTimes.ResetAsync(connection);
        CpuMeter.Usage? used = null, raw = null;
        WalMeter.Usage? usedWal = null, rawWal = null;
        var apiUsed = ApiTotals.Zero;
        for (var slice = 0; slice < scale.CommandSlices; slice++)
        {
            var before = await ApiTotals.ReadAsync(api, admin);
            var (cpu, wal) = await TurnAsync(turns, Load.Http, api.Id, scale.CommandSlice, rawSource);
            apiUsed += await ApiTotals.ReadAsync(api, admin) - before;
            (used, usedWal) = (cpu + used, wal + usedWal);
            (cpu, wal) = await TurnAsync(turns, Load.Raw, api.Id, scale.CommandSlice, rawSource);
            (raw, rawWal) = (cpu + raw, wal + rawWal);
        }
        await stop.CancelAsync();
        var commands = (await Task.WhenAll(clients)).Sum();
        var appends = (await Task.WhenAll(writers)).Sum();
        await sampler;
        var rss = api.PeakRssMiB();
        var ready = await ReadyCommandsAsync(api, admin);
        var (writing, writerCount) = (Writers(ready), ready["writers"]!.GetValue<int>());
        if (ServerSettings.Statements) await StatementTimes.PrintAsync(connection, commands, "per command");

        var elapsed = used!.Seconds;
        var ceiling = appends / raw!.Seconds;
        var perSecond = commands / elapsed;
        var sorted = latencies.OrderBy(x => x).ToList();
        bench.Add(new("HTTP commands, 16 clients", perSecond, "commands/s", ceiling, perSecond / ceiling, "≥ 0.5 × raw appends", perSecond >= 0.5 * ceiling,
            $"{commands} commands in {elapsed:0} s, {appends} raw appends in {raw.Seconds:0} s, taking turns in {scale.CommandSlices * 2} slices; {used.Cores}; raw appends' {raw.Cores}; {writing}; " +
            $"the {writerCount} writers inside transactions {apiUsed.WritersBusySeconds / (writerCount * elapsed):P0} of the slices' time"));
        // What each command costs where, beside what one raw append costs PostgreSQL: the
        // throughput ratio can be no better than the ratio of these costs on shared cores.
        bench.Add(new("CPU per HTTP command: PostgreSQL", used.Postgres / commands * 1000, "ms", raw.Postgres / appends * 1000,
            raw.Postgres / used.Postgres * commands / appends, "—", true, "ceiling: PostgreSQL's CPU per raw append"));
        bench.Add(new("CPU per HTTP command: API process (HTTP, auth, decide, projections' SQL, async daemon)", used.Api / commands * 1000, "ms",
            null, null, "—", true));
        bench.Add(new("CPU per HTTP command: the 16 clients", used.Clients / commands * 1000, "ms", raw.Clients / appends * 1000, null, "—", true,
            "ceiling: the raw writers' own CPU per append"));
        // Cores short at moments though idle on average: what a command's path queues for besides the writers.
        bench.Add(new("threads waiting for a core during the HTTP slices", used.Waited.Total / used.Seconds, "thread-s/s", raw.Waited.Total / raw.Seconds, null, "—", true,
            $"{used.Queued}; raw appends' {raw.Queued}; ready to run, on the run queue (schedstat)"));
        // Whose vacuum each load's slices carried: the launcher starts a worker when its naptime
        // comes round, whichever load is running then.
        bench.Add(new("autovacuum during the HTTP slices", used.VacuumTotal / used.Seconds, "cores", raw.VacuumTotal / raw.Seconds, null, "—", true,
            $"by database: {used.VacuumByDatabase}; during the raw appends' slices: {raw.VacuumByDatabase}"));
        // The WAL a command leaves: records PostgreSQL inserted (each index entry is one) and flushes it waited for.
        bench.Add(new("WAL per HTTP command", usedWal!.Bytes / commands / 1024, "KiB", rawWal!.Bytes / appends / 1024, null, "—", true,
            $"{usedWal.Per(commands)}; a raw append: {rawWal.Per(appends)}; the whole cluster over each load's slices"));
        // The managed heap's share of the API's cost: what it allocates a command, and the time the
        // collector held every thread of it still (then no command moves until it is done).
        bench.Add(new("API allocations per HTTP command (managed heap)", apiUsed.AllocatedBytes / 1024.0 / commands, "KiB", null, null, "—", true,
            $"{apiUsed.AllocatedBytes / 1048576.0:0} MiB over the HTTP slices, the runtime's own total"));
        bench.Add(new("API stopped for garbage collection during the HTTP slices", apiUsed.GcPauseSeconds * 100 / elapsed, "% of the time", null, null, "—", true,
            apiUsed.DescribeCollections(elapsed)));
        bench.Add(new("HTTP command latency p50", Bench.Percentile(sorted, 50), "ms", null, null, "—", true));
        bench.Add(new("HTTP command latency p99", Bench.Percentile(sorted, 99), "ms", null, null, "—", true));
        var lag = lags.OrderBy(x => x).ToList();
        bench.Add(new("daemon lag under that load p99", Bench.Percentile(lag, 99) * 1000, "ms", null, null, "< 1000 ms", Bench.Percentile(lag, 99) < 1,
            $"{lag.Count} samples, statistics projection"));
        bench.Add(new("API peak RSS during the commands", rss, "MiB", null, null, "< 512 MiB", rss < 512));
    }

    private static async Task<JsonNode> ReadyCommandsAsync(EventSourcedDisclosure.Testing.ApiProcess api, string token)
    {
        using var client = api.Client(token);
        return (await client.GetFromJsonAsync<JsonObject>("/health/ready"))!["commands"]!;
    }

    // What the API's command writers did over the whole run, warm-up included (its /health/ready).
    private static string Writers(JsonNode commands)
    {
        var (batches, batched, alone) =
            (commands["batches"]!.GetValue<long>(), commands["batchedCommands"]!.GetValue<long>(), commands["alone"]!.GetValue<long>());
        return $"writers: {batched / Math.Max(1.0, batches):0.0} commands a batch, {alone} commands alone ({(batched + alone) / Math.Max(1.0, batches + alone):0.0} a transaction), {commands["withoutLoad"]} decided without a load, " +
               $"{commands["staleRetries"]} batches run again for a stale head, {commands["retriedAlone"]} commands again alone";
    }

    // One slice of a load's turn: the CPU each process used in it, and the WAL the cluster wrote.
    private static async Task<(CpuMeter.Usage, WalMeter.Usage)> TurnAsync(Turns turns, Load load, int api, TimeSpan slice, NpgsqlDataSource cluster)
    {
        var wal = await WalMeter.StartAsync(cluster);
        var cpu = CpuMeter.Start(api);
        turns.Give(load, counted: true);
        await Task.Delay(slice);
        var used = cpu.Stop();
        return (used, await wal.StopAsync());
    }

    private static async Task<int> ClientAsync(EventSourcedDisclosure.Testing.ApiProcess api, int c, ConcurrentBag<double> latencies, Turns turns, CancellationToken stop)
    {
        var agency = $"b{c:00}";
        using var clerk = api.Client(TokenIssuer.Mint(ApiHost.SigningKey, $"clerk-{c}", "clerk", [$"{agency}:drafter", $"{agency}:publisher", $"{agency}:requestOfficer"]));
        using var reviewer = api.Client(TokenIssuer.Mint(ApiHost.SigningKey, $"reviewer-{c}", "reviewer", [$"{agency}:reviewer"]));
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var done = 0;
        // The body is read whole but not parsed: a client on the same two cores should cost them little.
        // A new stream's id is the last segment of its Location.
        async Task<string?> Send(HttpClient client, string path, object body)
        {
            await turns.WaitAsync(Load.Http, stop);
            stop.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            using var response = await client.PostAsJsonAsync(path, body, CancellationToken.None);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
            await response.Content.LoadIntoBufferAsync(CancellationToken.None);
            if (turns.Counts(Load.Http))
            {
                latencies.Add(clock.Elapsed.TotalMilliseconds);
                done++;
            }
            return response.Headers.Location?.OriginalString.Split('/')[^1];
        }
        var items = $"/api/v1/agencies/{agency}/items";
        var requests = $"/api/v1/agencies/{agency}/requests";
        try
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var item = (await Send(clerk, items, new
                {
                    title = $"关于做好{n}号基准测试工作的通知", summary = "基准测试的主要内容。", body = string.Concat(Enumerable.Repeat("正文内容。", 40)),
                    writtenOn = today, department = "办公室", category = "policy", genre = "normativeDocument", keywords = (string[])["基准", "测试"],
                }))!;
                await Send(clerk, $"{items}/{item}/attribute", new { disclosure = "proactive", basis = "条例第十九条", important = false });
                await Send(reviewer, $"{items}/{item}/review", new { outcome = "cleared", opinion = "不涉密" });
                await Send(clerk, $"{items}/{item}/publication", new { publishedOn = today, channels = (string[])["website"] });
                var request = (await Send(clerk, requests, new
                {
                    receivedOn = today.AddDays(-10), channel = "inPerson", description = "申请公开本局基准测试文件",
                    applicant = new { type = "naturalPerson", name = "测试人", idNumber = "11010519491231002X", phone = "13800138000", address = "某市某路1号" },
                }))!;
                await Send(clerk, $"{requests}/{request}/answer", new { answeredOn = today.AddDays(-3), outcome = "disclosed", detail = "已提供" });
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { } // the run is over
        return done;
    }

    // The age of the oldest committed event the statistics projection has not applied yet, while the commands run.
    private static async Task SampleLagAsync(string connection, List<double> lags, Turns turns, CancellationToken stop)
    {
        await using var source = NpgsqlDataSource.Create(connection);
        while (!stop.IsCancellationRequested)
        {
            await using var command = source.CreateCommand("""
                select coalesce(extract(epoch from clock_timestamp() - min(e.recorded_at)), 0)::float8
                  from disclosure.events e, disclosure.projection_progress p
                 where p.name = 'statistics' and (e.tx, e.seq) > (p.last_tx, p.last_seq)
                """);
            var lag = (double)(await command.ExecuteScalarAsync(CancellationToken.None))!;
            if (turns.Counts(Load.Http)) lags.Add(lag);
            try { await Task.Delay(100, stop); } catch (OperationCanceledException) { }
        }
    }

    /// <summary>
    /// The ceiling's database: the same rows per transaction and the same optimistic version check,
    /// and nothing else. Its tables are never autovacuumed: the launcher's naptime (30 s) is one
    /// pair of slices, so every worker it started, for either database, ran in the commands' slices
    /// (measured: the ceiling's own vacuum was 0.03 of a core there, none in its own slices). The
    /// commands still carry their own; the ceiling carries none, as before. It is analyzed once,
    /// after its warm-up, as the commands' tables are by then.
    /// </summary>
    private static async Task<NpgsqlDataSource> CreateRawAppendsAsync(Bench bench)
    {
        var source = NpgsqlDataSource.Create(await bench.CreateDatabaseAsync("bench_raw"));
        await using var schema = source.CreateCommand("""
            create table raw_streams (id uuid primary key, version bigint not null) with (autovacuum_enabled = false);
            create table raw_events (seq bigserial, stream_id uuid not null, version bigint not null, data jsonb not null,
                metadata jsonb not null, recorded_at timestamptz not null default now(), primary key (stream_id, version))
                with (autovacuum_enabled = false);
            create index on raw_events (seq);
            create function raw_append(p_stream uuid, p_expected bigint, p_data jsonb[]) returns bigint language plpgsql as $$
            declare v bigint;
            begin
                select version into v from raw_streams where id = p_stream for update;
                if coalesce(v, 0) <> p_expected then raise exception 'stream at %, not %', v, p_expected; end if;
                insert into raw_events (stream_id, version, data, metadata)
                select p_stream, p_expected + i, p_data[i], '{"actor":"clerk-1","correlationId":"0HN8","causationId":"0HN8:0001"}'
                  from generate_subscripts(p_data, 1) i;
                insert into raw_streams (id, version) values (p_stream, p_expected + array_length(p_data, 1))
                on conflict (id) do update set version = excluded.version;
                return p_expected + array_length(p_data, 1);
            end $$;
            """);
        await schema.ExecuteNonQueryAsync();
        return source;
    }

    private static string RawPayload() => System.Text.Json.JsonSerializer.Serialize(new
    {
        itemId = Guid.NewGuid(), agency = "b00", title = "关于做好基准测试工作的通知", summary = "基准测试的主要内容。",
        body = string.Concat(Enumerable.Repeat("正文内容。", 40)), writtenOn = "2026-12-01", department = "办公室", category = "policy",
    });

    /// <summary>One of the ceiling's 16 writers: an item's four appends on one stream, then a request's two on another.</summary>
    private static async Task<int> RawWriterAsync(NpgsqlDataSource source, string payload, Turns turns, CancellationToken stop)
    {
        var appends = 0;
        while (!stop.IsCancellationRequested)
        {
            var stream = Guid.NewGuid();
            long version = 0;
            for (var step = 0; step < RowsPerStep.Length; step++)
            {
                await turns.WaitAsync(Load.Raw, stop);
                if (stop.IsCancellationRequested) break;
                if (step == 4) (stream, version) = (Guid.NewGuid(), 0);
                await using var command = source.CreateCommand("select raw_append($1, $2, $3)");
                command.Parameters.Add(new() { Value = stream });
                command.Parameters.Add(new() { Value = version });
                command.Parameters.Add(new() { Value = Enumerable.Repeat(payload, RowsPerStep[step]).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
                version = (long)(await command.ExecuteScalarAsync(CancellationToken.None))!;
                if (turns.Counts(Load.Raw)) appends++;
            }
        }
        return appends;
    }
}
