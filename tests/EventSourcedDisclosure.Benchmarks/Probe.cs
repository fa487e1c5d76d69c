using System.Diagnostics;
using EventSourcedDisclosure.Api.Statistics;
using EventSourcedDisclosure.Domain.Statistics;
using Npgsql;

namespace EventSourcedDisclosure.Benchmarks;

public static class Probe
{
    public static async Task RunAsync()
    {
        await using var bench = await Bench.StartAsync(new Scale(true));
        var (small, events) = await StoreBenchmarks.BuildAsync(bench, "probe", 1, 2000, 20);
        await StoreBenchmarks.RebuildAsync(new Bench.Scratch(bench).Sink, small, events);
        await using var db = NpgsqlDataSource.Create(small);
        for (var round = 0; round < 5; round++)
        {
            var clock = Stopwatch.StartNew();
            var facts = await StatisticsQueries.FactsAsync(db, "disclosure", "g000", null, 2025, default);
            var t1 = clock.Elapsed.TotalMilliseconds;
            var contributions = AnnualStatistics.Contributions(facts, 2025, ReportFormat.F2021).ToList();
            var t2 = clock.Elapsed.TotalMilliseconds;
            var tables = AnnualTables.Build(contributions, 2025, ReportFormat.F2021, null);
            var t3 = clock.Elapsed.TotalMilliseconds;
            var all = await StatisticsReader.ComputeAsync(db, "disclosure", "g000", null, 2025, ReportFormat.F2021, default);
            var t4 = clock.Elapsed.TotalMilliseconds;
            Console.WriteLine($"facts {t1:0.0} ms ({facts.Items.Count} items), contributions {t2 - t1:0.0} ms ({contributions.Count}), build {t3 - t2:0.0} ms, compute {t4 - t3:0.0} ms");
        }
    }
}
