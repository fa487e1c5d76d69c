using EventSourcedDisclosure.Api.Hosting;
using Npgsql;

namespace EventSourcedDisclosure.Benchmarks;

/// <summary>`--probe`: builds a quick-sized store and prints the plans of the slow reads (for profiling by hand).</summary>
public static class Probe
{
    public static async Task RunAsync(string[] queries)
    {
        await using var bench = await Bench.StartAsync(new Scale(true));
        var (big, events) = await StoreBenchmarks.BuildAsync(bench, "probe", 20, 1500, 5);
        await StoreBenchmarks.RebuildAsync(new Bench.Scratch(bench).Sink, big, events);
        await using var db = StoreSetup.DataSource(big);
        await using (var analyze = db.CreateCommand("analyze")) await analyze.ExecuteNonQueryAsync();
        foreach (var sql in queries)
        {
            Console.WriteLine($"== {sql}");
            for (var round = 0; round < 2; round++)
            {
                await using var command = db.CreateCommand("explain (analyze, buffers) " + sql);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync()) if (round == 1) Console.WriteLine(reader.GetString(0));
            }
        }
    }
}
