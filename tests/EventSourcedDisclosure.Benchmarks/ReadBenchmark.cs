using System.Diagnostics;
using EventSourcedDisclosure.Api.Hosting;

namespace EventSourcedDisclosure.Benchmarks;

/// <summary>The reads users wait for, over HTTP against the large store, p50 and p95.</summary>
public static class ReadBenchmark
{
    private static readonly string[] Terms = ["教育", "行政处罚", "财政预算", "乡村振兴", "学校食堂管理", "招生方案", "社会保险"];

    public static async Task<double> RunAsync(Bench bench, string connection, int agencies, string label, bool statisticsOnly = false)
    {
        var folder = Directory.CreateDirectory(Path.Combine(bench.WorkFolder, $"api-{label}")).FullName;
        await using var api = await ApiHost.StartAsync(connection, folder);
        using var reader = api.Client(TokenIssuer.Mint(ApiHost.SigningKey, "reader", "reader", ["*:auditor"]));
        using var anonymous = api.Client();
        var random = new Random(1);
        string Agency() => LogGenerator.AgencyCode(random.Next(agencies));
        var samples = bench.Scale.ReadSamples;

        // First reads fold each agency's facts; later ones find its cells cached until its facts move.
        // The process is warmed first on the same work (FirstReadWarmUpAsync), so that the figure is
        // the fold of facts not yet cached, not the JIT of a process that has just started.
        // (The small store has one agency: one first read, no figure; it is there for the cached read.)
        var agencyCodes = Enumerable.Range(0, agencies).Select(LogGenerator.AgencyCode).ToList();
        var next = 0;
        if (!statisticsOnly)
        {
            var warmed = await FirstReadWarmUpAsync(api, reader, agencies, bench.Scale.FirstReadWarmUps);
            await MeasureAsync(api, bench, $"statistics of one agency-year, first read ({label})", Math.Min(samples, agencies), 20,
                () => reader.GetAsync($"/api/v1/agencies/{agencyCodes[next++ % agencyCodes.Count]}/statistics/2025"), warmedBy: warmed);
        }
        while (next < agencyCodes.Count) (await reader.GetAsync($"/api/v1/agencies/{agencyCodes[next++]}/statistics/2025")).EnsureSuccessStatusCode();
        var statistics = await MeasureAsync(api, bench, $"statistics of one agency-year, facts unchanged since ({label})", samples, 20,
            () => reader.GetAsync($"/api/v1/agencies/{Agency()}/statistics/2025"));
        if (statisticsOnly) return statistics;
        await MeasureAsync(api, bench, $"catalogue page ({label})", samples, 20, () => anonymous.GetAsync($"/api/v1/catalogue?agency={Agency()}&page={1 + random.Next(5)}&pageSize=50"));
        await MeasureAsync(api, bench, $"catalogue first page, whole city ({label})", samples, 20, () => anonymous.GetAsync($"/api/v1/catalogue?region={LogGenerator.City}&pageSize=50"));
        await MeasureAsync(api, bench, $"Chinese search ({label})", samples, 50, () => anonymous.GetAsync($"/api/v1/catalogue?q={Uri.EscapeDataString(Terms[random.Next(Terms.Length)])}&pageSize=20"));
        await MeasureAsync(api, bench, $"region statistics, {agencies} agencies ({label})", Math.Max(10, samples / 5), 20,
            () => reader.GetAsync($"/api/v1/regions/{LogGenerator.City}/statistics/2025"));
        // The same for a county (a tenth of the agencies).
        await MeasureAsync(api, bench, $"region statistics, one county ({label})", Math.Max(10, samples / 5), 20,
            () => reader.GetAsync($"/api/v1/regions/{LogGenerator.RegionOf(0)}/statistics/2025"));
        await MeasureAsync(api, bench, $"overdue ledger ({label})", samples, 20, () => reader.GetAsync($"/api/v1/agencies/{Agency()}/requests?status=overdue"));
        return statistics;
    }

    /// <summary>
    /// Warms an API for first statistics reads of 2025: reads that fold an agency's 2025 facts
    /// without the cache (?explain=, which computes every time) alternating with first reads of 2024
    /// and 2023 (the tables and their answer; each agency's once, cached after), at least
    /// <paramref name="atLeast"/> of them, then until the JIT settles. The compiler's going
    /// quiet alone did not mean the code had: tiering promotes in bursts with quiet stretches
    /// between, and over folds 160–200 an agency's facts took 1.4 × as long to read and fold as
    /// after 2,000, 2.5–3 × with profile-guided tiering (which compiles a method up to three times).
    /// </summary>
    /// <returns>The reads made.</returns>
    public static Task<int> FirstReadWarmUpAsync(EventSourcedDisclosure.Testing.ApiProcess api, HttpClient reader, int agencies, int atLeast) =>
        JitSettling.WarmAsync(api, async i =>
        {
            var k = i / 2;
            using var response = await reader.GetAsync(i % 2 == 1
                ? $"/api/v1/agencies/{LogGenerator.AgencyCode(k % agencies)}/statistics/2025?explain=requests.received.total"
                : $"/api/v1/agencies/{LogGenerator.AgencyCode(k % agencies)}/statistics/{2024 - k / agencies % 2}");
            response.EnsureSuccessStatusCode();
        }, atLeast, atMost: 2 * atLeast);

    /// <summary>Warms the read (the pools, the plans, the JIT) unless <paramref name="warmedBy"/> says how it was warmed; times it.</summary>
    /// <returns>The p95 in ms.</returns>
    private static async Task<double> MeasureAsync(EventSourcedDisclosure.Testing.ApiProcess api, Bench bench, string name, int samples, double targetP95,
        Func<Task<HttpResponseMessage>> read, int? warmedBy = null)
    {
        warmedBy ??= await JitSettling.WarmAsync(api, async _ =>
        {
            using var response = await read();
            response.EnsureSuccessStatusCode();
        }, atLeast: bench.Scale.ReadWarmUps, atMost: 2 * bench.Scale.ReadWarmUps);
        var times = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await read();
            await response.Content.ReadAsByteArrayAsync();
            response.EnsureSuccessStatusCode();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        var p95 = Bench.Percentile(times, 95);
        bench.Add(new($"{name} p95", p95, "ms", null, null, $"< {targetP95} ms", p95 < targetP95, $"p50 {Bench.Percentile(times, 50):0.0} ms, {samples} reads after {warmedBy} to warm up"));
        return p95;
    }
}
