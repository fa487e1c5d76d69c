using EventSourcedDisclosure.Api.Hosting;
using Npgsql;

namespace EventSourcedDisclosure.Benchmarks;

/// <summary>`--probe`: builds a quick-sized store and prints the plans of the slow reads (for profiling by hand).</summary>
public static class Probe
{
    public static async Task RunAsync(string[] queries)
    {
        await using var bench = await Bench.StartAsync(new Scale(true));
        // PROBE_AGENCIES=200: the full-sized store (the default is a tenth).
        var agencies = int.TryParse(Environment.GetEnvironmentVariable("PROBE_AGENCIES"), out var n) ? n : 20;
        var (big, events) = await StoreBenchmarks.BuildAsync(bench, "probe", agencies, 1500, 5);
        var rebuilds = new Bench.Scratch(bench, print: true);
        if (queries.Length > 0 && queries[0] == "rebuild")
        {
            // Each line after "rebuild": a projection's name, rebuilt twice, timed (after the agencies, which others read),
            // one after the other without the vacuum between, as the benchmark runs them; with where the
            // replay ended and (--statements) PostgreSQL's costliest statements.
            await StoreBenchmarks.RebuildAsync(rebuilds.Sink, big, events, "agencies");
            foreach (var name in queries.Skip(1))
                for (var round = 0; round < 2; round++)
                    await StoreBenchmarks.ProfileRebuildAsync(bench, big, events, name);
            return;
        }
        await StoreBenchmarks.RebuildAsync(rebuilds.Sink, big, events);
        await using var db = StoreSetup.DataSource(big);
        await using (var analyze = db.CreateCommand("analyze")) await analyze.ExecuteNonQueryAsync();
        if (queries.Length > 0 && queries[0] == "first")
        {
            // "first": each agency's first statistics read of 2025 after the benchmark's warm-up, as the
            // benchmark times them; with the JIT's work during them.
            var folder = Directory.CreateDirectory(Path.Combine(bench.WorkFolder, "api-first")).FullName;
            await using var api = await ApiHost.StartAsync(big, folder);
            using var client = api.Client(TokenIssuer.Mint(ApiHost.SigningKey, "reader", "reader", ["*:auditor"]));
            // Warmed as the full run warms: the probe's agencies are full-sized, only fewer.
            var warmed = await ReadBenchmark.FirstReadWarmUpAsync(api, client, agencies, new Scale(Quick: false).FirstReadWarmUps);
            var jitBefore = await JitSettling.TotalsAsync(api);
            var times = new List<double>();
            for (var a = 0; a < agencies; a++)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                (await client.GetAsync($"/api/v1/agencies/{LogGenerator.AgencyCode(a)}/statistics/2025")).EnsureSuccessStatusCode();
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            var jitAfter = await JitSettling.TotalsAsync(api);
            times.Sort();
            Console.WriteLine($"first reads after {warmed} to warm up: p50 {Bench.Percentile(times, 50):0.0} ms, p95 {Bench.Percentile(times, 95):0.0} ms; "
                + $"JIT during them: {jitAfter.Methods - jitBefore.Methods} methods, {(jitAfter.Seconds - jitBefore.Seconds) * 1000:0} ms");
            return;
        }
        if (queries.Length > 0 && queries[0] == "http")
        {
            // Each line after "http": a path, read twice per agency placeholder {a} over 20 agencies, timed.
            var folder = Directory.CreateDirectory(Path.Combine(bench.WorkFolder, "api-probe")).FullName;
            await using var api = await ApiHost.StartAsync(big, folder);
            using var client = api.Client(TokenIssuer.Mint(ApiHost.SigningKey, "reader", "reader", ["*:auditor"]));
            foreach (var path in queries.Skip(1))
                for (var round = 0; round < 3; round++)
                {
                    var times = new List<double>();
                    for (var a = 0; a < 20; a++)
                    {
                        var clock = System.Diagnostics.Stopwatch.StartNew();
                        (await client.GetAsync(path.Replace("{a}", LogGenerator.AgencyCode(a)))).EnsureSuccessStatusCode();
                        times.Add(clock.Elapsed.TotalMilliseconds);
                    }
                    Console.WriteLine($"{path} round {round}: {string.Join(" ", times.Select(t => t.ToString("0.0")))}");
                }
            return;
        }
        await using var connection = await db.OpenConnectionAsync();
        foreach (var sql in queries)
        {
            if (sql == "pause")
            {
                // For psql by hand (two sessions at once, say): the store stays up until the file exists.
                var resume = Path.Combine(bench.WorkFolder, "resume");
                Console.WriteLine($"== pause: {big}\n   touch {resume} to go on");
                while (!File.Exists(resume)) await Task.Delay(1000);
                continue;
            }
            if (sql.StartsWith("rows ", StringComparison.Ordinal))
            {
                // rows select …: the answer itself (sizes, counts), tab-separated
                Console.WriteLine($"== {sql}");
                await using var query = new NpgsqlCommand(sql[5..], connection) { CommandTimeout = 0 };
                await using var reader = await query.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                    Console.WriteLine(string.Join('\t', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : reader.GetValue(i).ToString())));
                continue;
            }
            if (!sql.StartsWith("select", StringComparison.OrdinalIgnoreCase) && !sql.StartsWith("execute", StringComparison.OrdinalIgnoreCase))
            {
                // set …, prepare …: run as they are, on the connection the plans are read on
                await using var run = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
                var clock = System.Diagnostics.Stopwatch.StartNew();
                await run.ExecuteNonQueryAsync();
                Console.WriteLine($"== {sql}: {clock.Elapsed.TotalMilliseconds:0} ms");
                continue;
            }
            Console.WriteLine($"== {sql}");
            for (var round = 0; round < 2; round++)
            {
                await using var command = new NpgsqlCommand("explain (analyze, buffers) " + sql, connection);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync()) if (round == 1) Console.WriteLine(reader.GetString(0));
            }
        }
    }
}
