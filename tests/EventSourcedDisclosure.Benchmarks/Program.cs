using System.Diagnostics;
using EventSourcedDisclosure.Benchmarks;

// build/bench.sh [--quick] [--out FOLDER]: every figure beside the ceiling PostgreSQL reaches on
// the same machine in the same run; bench-results.json and bench-results.md in FOLDER.
// --commands-only: just the command benchmark, printed (profiling by hand).
// --statements (with --commands-only): PostgreSQL's time per statement during the command benchmark;
// (with --probe FILE of rebuilds) during each rebuild.
// --probe FILE: build a quick-sized store and print EXPLAIN ANALYZE of each line of FILE (profiling by hand);
// a line "rows select …" prints the answer instead (sizes, counts); a first line "first" times each
// agency's first statistics read of 2025 after the benchmark's warm-up instead (A/B of a runtime setting).
// APIENV_<setting>=<value> in the environment: that setting for the API process alone (ApiHost).
using var stopClusters = EventSourcedDisclosure.EventStore.Embedded.EmbeddedPostgres.StopOnTermination(); // killed, it stops its cluster
ServerSettings.Statements = args.Contains("--statements");
if (args.Contains("--probe")) { await Probe.RunAsync(File.ReadAllLines(args[Array.IndexOf(args, "--probe") + 1])); return 0; }
var quick = args.Contains("--quick");
var outIndex = Array.IndexOf(args, "--out");
var folder = Path.GetFullPath(outIndex >= 0 && outIndex + 1 < args.Length ? args[outIndex + 1] : ".");
var scale = new Scale(quick);
var clock = Stopwatch.StartNew();

await using var bench = await Bench.StartAsync(scale);
var machine = Machine.Read(await bench.ServerVersionAsync());
Console.WriteLine($"{(quick ? "Quick" : "Full")} run on {machine.Cores} cores ({machine.Cpu}), PostgreSQL {machine.PostgreSql}");

await Bench.TimedAsync("HTTP commands beside raw appends; daemon lag; API memory", async () => { await CommandBenchmark.RunAsync(bench); return 0; });
if (args.Contains("--commands-only")) return 0; // profiling the command path by hand

var (big, events) = await Bench.TimedAsync(
    $"building a store: {scale.Agencies} agencies × {scale.ItemsPerAgency} published items, {scale.RequestsPerAgency} requests each",
    () => StoreBenchmarks.BuildAsync(bench, "bench_big", scale.Agencies, scale.ItemsPerAgency, scale.RequestsPerAgency));
Console.WriteLine($"  {events:N0} events");
await Bench.TimedAsync("rebuilding every projection", async () => { await StoreBenchmarks.RebuildAsync(bench, big, events, rounds: scale.RebuildRounds); return 0; });
var statisticsLarge = await Bench.TimedAsync("reads", () => ReadBenchmark.RunAsync(bench, big, scale.Agencies, $"{events / 1000:N0}k events"));

var (small, smallEvents) = await Bench.TimedAsync("a store of about 10,000 events",
    () => StoreBenchmarks.BuildAsync(bench, "bench_small", 1, 2_000, 20));
await StoreBenchmarks.RebuildAsync(new Bench.Scratch(bench).Sink, small, smallEvents);
var statisticsSmall = await ReadBenchmark.RunAsync(bench, small, 1, $"{smallEvents / 1000:N0}k events", statisticsOnly: true);
var growth = statisticsLarge / statisticsSmall;
bench.Add(new("statistics read, facts unchanged: large store ÷ small store (p95)", growth, "×", null, null, "≤ 1.5", growth <= 1.5,
    $"{events:N0} vs {smallEvents:N0} events"));

var export = await Bench.TimedAsync("export", () => StoreBenchmarks.ExportAsync(bench, big));
await Bench.TimedAsync("import beside COPY", async () => { await StoreBenchmarks.ImportAsync(bench, export); return 0; });

await Report.WriteAsync(folder, machine, scale, bench.Results, clock.Elapsed);
Console.WriteLine();
Console.WriteLine(Report.Markdown(machine, scale, bench.Results, clock.Elapsed));
Console.WriteLine($"Wrote {Path.Combine(folder, "bench-results.json")} and bench-results.md");
return bench.Results.All(r => r.Met) ? 0 : 1;
