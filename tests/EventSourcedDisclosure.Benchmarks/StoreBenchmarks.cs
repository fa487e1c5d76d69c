using System.Diagnostics;
using EventSourcedDisclosure.Api.Calendar;
using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.Domain.Calendar;
using EventSourcedDisclosure.Domain.Requests;
using EventSourcedDisclosure.EventStore;
using EventSourcedDisclosure.EventStore.Integrity;
using EventSourcedDisclosure.EventStore.Projections;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace EventSourcedDisclosure.Benchmarks;

/// <summary>Builds the large store, then measures rebuilds, the export's memory, and the import beside PostgreSQL's COPY.</summary>
public static class StoreBenchmarks
{
    public static IConfiguration Config(Bench bench) => Config(bench.WorkFolder);

    public static IConfiguration Config(string folder) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["PersonalData:KeyEncryptionKey"] = Convert.ToBase64String(ApiHost.PersonalKey),
        ["DataDirectory"] = folder,
    }).Build();

    /// <summary>A store of generated items (imported) and requests (appended through the store, applicants sealed), projections not yet built.</summary>
    public static async Task<(string Connection, long Events)> BuildAsync(Bench bench, string database, int agencies, int items, int requests)
    {
        var connection = await bench.CreateDatabaseAsync(database);
        var file = Path.Combine(bench.WorkFolder, $"{database}.ndjson");
        await LogGenerator.WriteAsync(file, agencies, items);
        await using var source = StoreSetup.DataSource(connection);
        var store = new EventStore.EventStore(source, StoreSetup.Options(Config(bench)));
        await store.MigrateAsync();
        await using (var input = File.OpenRead(file)) await new LogExport(store).ImportAsync(input);
        File.Delete(file);
        await AppendRequestsAsync(store, agencies, requests);
        // Rebuilds are measured on a log as it stands in service, not in the minutes after a bulk
        // import, while autovacuum and the checkpointer work through it beside the rebuild.
        // VACUUM refuses a transaction block, which a multi-statement command is: one command each.
        foreach (var sql in new[] { "vacuum analyze", "checkpoint" })
        {
            await using var settle = source.CreateCommand(sql);
            settle.CommandTimeout = 0;
            await settle.ExecuteNonQueryAsync();
        }
        return (connection, await CountAsync(source));
    }

    // Half answered, half still open long past their due date: the overdue ledger has rows. Received
    // over 2023–2025 as the items are written, so that every year's tables count requests received,
    // answered and carried over, and warming on earlier years runs the requests' fold too.
    private static async Task AppendRequestsAsync(EventStore.EventStore store, int agencies, int perAgency)
    {
        var calendar = WorkingCalendar.China;
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        await Parallel.ForEachAsync(Enumerable.Range(0, agencies), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (a, ct) =>
        {
            var agency = LogGenerator.AgencyCode(a);
            for (var n = 0; n < perAgency; n++)
            {
                var id = Guid.CreateVersion7();
                var receivedOn = new DateOnly(2023 + n % 3, 1 + n % 12, 10);
                var received = RequestDecider.Receive(new ReceiveRequest(id, agency, receivedOn, null, "inPerson",
                    new ApplicantInput("naturalPerson", $"申请人{n}", "11010519491231002X", "13800138000", "某市某路1号", null),
                    "申请公开基准测试文件", null, TrackingCodes.New(), "officer", today), calendar);
                await store.AppendAsync(agency, id, "request", ExpectedVersion.NoStream, received, new EventMetadata("officer"), ct: ct);
                if (n % 2 == 1) continue;
                var state = received.Aggregate(Request.Initial, Request.Evolve);
                var answered = RequestDecider.Answer(new AnswerRequest(receivedOn.AddDays(14), "disclosed", null, "已提供", null, null, "officer", today), state, calendar);
                await store.AppendAsync(agency, id, "request", ExpectedVersion.Exactly(1), answered, new EventMetadata("officer"), ct: ct);
            }
        });
    }

    /// <summary>
    /// Every projection (or <paramref name="only"/>) rebuilt <paramref name="rounds"/> times, a
    /// round being one rebuild of each in registration order, so that a projection's rebuilds fall a
    /// round apart (about 90 s at full size) rather than in one minute. The figure is the median
    /// time (nearest rank, as every percentile here), every time beside it: the catalogue's one
    /// rebuild took 26.2 s in one full run and 36.3 s in another on the same code, so a single
    /// timing reported the minute as much as the code.
    /// </summary>
    public static async Task RebuildAsync(IMeasurements bench, string connection, long events, string? only = null, bool vacuum = true, int rounds = 1)
    {
        await using var source = StoreSetup.DataSource(connection);
        var store = new EventStore.EventStore(source, StoreSetup.Options(Config(bench.WorkFolder), new CalendarProvider()));
        var admin = new ProjectionAdmin(store);
        var registrations = store.Options.Projections.Where(r => only is null || r.Projection.Name == only).ToList();
        var seconds = registrations.ToDictionary(r => r.Projection.Name, _ => new List<double>());
        for (var round = 0; round < rounds; round++)
            foreach (var registration in registrations)
            {
                var clock = Stopwatch.StartNew();
                await admin.RebuildAsync(registration.Projection.Name);
                seconds[registration.Projection.Name].Add(clock.Elapsed.TotalSeconds);
            }
        foreach (var registration in registrations)
        {
            var times = seconds[registration.Projection.Name].Order().ToList();
            var median = Bench.Percentile(times, 50);
            var rate = events / median;
            var spread = times.Count == 1 ? "" : $", median of {times.Count}: {string.Join(", ", times.Select(t => $"{t:0.0}"))} s";
            bench.Add(new($"rebuild {registration.Projection.Name} ({registration.Lifecycle.ToString().ToLowerInvariant()})", rate, "events/s", null, null,
                "≥ 50,000 events/s", rate >= 50_000, $"{events:N0} events in {median:0.0} s{spread}"));
        }
        // Reads are measured on tables as autovacuum leaves them in service (visibility map set, statistics current),
        // not in the minute after a bulk rebuild.
        if (!vacuum) return;
        await using var vacuumAll = source.CreateCommand("vacuum analyze");
        await vacuumAll.ExecuteNonQueryAsync();
    }

    /// <summary>--probe with rebuild: one timed rebuild of a projection, with when its replay ended and (--statements) its costliest statements.</summary>
    public static async Task ProfileRebuildAsync(Bench bench, string connection, long events, string name)
    {
        await using var source = StoreSetup.DataSource(connection);
        var store = new EventStore.EventStore(source, StoreSetup.Options(Config(bench.WorkFolder), new CalendarProvider()));
        if (ServerSettings.Statements) await StatementTimes.ResetAsync(connection);
        var clock = Stopwatch.StartNew();
        TimeSpan? replayed = null;
        // Every kind of replay reports the whole log once it has been through it (a by-stream one
        // after its last page); what comes after is indexes, statistics and the commit.
        await new ProjectionAdmin(store).RebuildAsync(name, new SyncProgress(done => replayed ??= done >= events ? clock.Elapsed : null));
        Console.WriteLine($"rebuild {name}: {clock.Elapsed.TotalSeconds:0.0} s, {events / clock.Elapsed.TotalSeconds:0} events/s; " +
                          $"replayed by {replayed?.TotalSeconds:0.0} s");
        if (ServerSettings.Statements) await StatementTimes.PrintAsync(connection, 1, "in the rebuild", 25);
    }

    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }

    /// <summary>The export streamed to a file while the managed heap is sampled: its peak growth against the file's size.</summary>
    public static async Task<string> ExportAsync(Bench bench, string connection)
    {
        await using var source = StoreSetup.DataSource(connection);
        var store = new EventStore.EventStore(source, StoreSetup.Options(Config(bench)));
        var file = Path.Combine(bench.WorkFolder, "export.ndjson");
        // What the export keeps alive: the heap as each collection leaves it. The heap between
        // collections also holds garbage up to the young generation's budget, which the runtime
        // sizes from the machine (this figure was 16 MiB on one machine, 80 on another, same code).
        GC.Collect(2, GCCollectionMode.Forced, true, true);
        var baseline = GC.GetGCMemoryInfo().HeapSizeBytes;
        long peak = baseline;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetGCMemoryInfo().HeapSizeBytes);
                await Task.Delay(10);
            }
        });
        var clock = Stopwatch.StartNew();
        long events;
        await using (var output = File.Create(file)) events = await new LogExport(store).ExportAsync(output, null, null, null);
        var seconds = clock.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await sampler;
        var growth = (peak - baseline) / 1024.0 / 1024;
        var size = new FileInfo(file).Length / 1024.0 / 1024;
        bench.Add(new("export: managed heap growth (as collections leave it)", growth, "MiB", null, null, "flat (< 64 MiB, whatever the size)", growth < 64,
            $"{events:N0} events, {size:0} MiB of NDJSON in {seconds:0.0} s"));
        return file;
    }

    /// <summary>The export imported into an empty store, beside COPY of the same rows into the same table.</summary>
    public static async Task ImportAsync(Bench bench, string export)
    {
        var events = File.ReadLines(export).LongCount();
        var target = await bench.CreateDatabaseAsync("bench_import");
        await using var source = StoreSetup.DataSource(target);
        var store = new EventStore.EventStore(source, StoreSetup.Options(Config(bench)));
        await store.MigrateAsync();
        var clock = Stopwatch.StartNew();
        await using (var input = File.OpenRead(export)) await new LogExport(store).ImportAsync(input);
        var rate = events / clock.Elapsed.TotalSeconds;

        var ceiling = await CopyCeilingAsync(bench, export, events);
        bench.Add(new("import of the export into an empty store", rate, "events/s", ceiling, rate / ceiling, "≥ 0.5 × COPY", rate >= 0.5 * ceiling,
            $"{events:N0} events"));
    }

    // COPY … FROM STDIN of exactly the rows the import writes, into a freshly migrated events table.
    private static async Task<double> CopyCeilingAsync(Bench bench, string export, long events)
    {
        var rows = Path.Combine(bench.WorkFolder, "copy.tsv");
        await using (var output = new StreamWriter(rows))
            foreach (var line in File.ReadLines(export))
            {
                var e = System.Text.Json.JsonSerializer.Deserialize<ExportedEvent>(line, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
                await output.WriteLineAsync(string.Join('\t', e.Sequence, e.Agency, e.Stream, e.Version, e.Type, Escape(e.Data.GetRawText()),
                    Escape(e.Metadata.GetRawText()), e.RecordedAt.ToUniversalTime().ToString("O"), e.ChainPosition, e.Hash));
            }
        var target = await bench.CreateDatabaseAsync("bench_copy");
        await using var source = StoreSetup.DataSource(target);
        await new EventStore.EventStore(source, StoreSetup.Options(Config(bench))).MigrateAsync();
        await using var connection = await source.OpenConnectionAsync();
        var clock = Stopwatch.StartNew();
        await using (var writer = await connection.BeginTextImportAsync(
            "copy disclosure.events (seq, tenant_id, stream_id, version, type, data, metadata, recorded_at, chain_position, hash) from stdin"))
        using (var reader = new StreamReader(rows))
            while (await reader.ReadLineAsync() is { } line) await writer.WriteLineAsync(line);
        var rate = events / clock.Elapsed.TotalSeconds;
        File.Delete(rows);
        return rate;
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\t", "\\t").Replace("\n", "\\n").Replace("\r", "\\r");

    private static async Task<long> CountAsync(NpgsqlDataSource source)
    {
        await using var command = source.CreateCommand("select count(*) from disclosure.events");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
