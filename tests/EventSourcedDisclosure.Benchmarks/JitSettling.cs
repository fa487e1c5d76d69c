using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EventSourcedDisclosure.Testing;

namespace EventSourcedDisclosure.Benchmarks;

/// <summary>
/// Warms a freshly started API on a read until its JIT has settled, so that what is timed after
/// is the read, not the compiler. Tiered compilation recompiles a hot method on a background
/// thread that takes one of the two cores; a fixed handful of warm-up reads does not say when it is
/// done (with profile-guided tiering, which compiles a method up to three times, a probe's profile
/// had the tiering thread at 43 % of the API's samples while first statistics reads were timed).
/// Quiet is not enough on its own: tiering promotes in bursts with quiet stretches between, so the
/// callers also give a floor of reads (ReadBenchmark.FirstReadWarmUpAsync says what it measured).
/// </summary>
public static class JitSettling
{
    private const int Batch = 20;

    /// <summary>
    /// Calls <paramref name="read"/> (with a running index) at least <paramref name="atLeast"/>
    /// times, then in batches until two batches in a row compiled nothing, or <paramref name="atMost"/>.
    /// </summary>
    /// <returns>The reads made.</returns>
    public static async Task<int> WarmAsync(ApiProcess api, Func<int, Task> read, int atLeast, int atMost)
    {
        using var client = api.Client();
        var reads = 0;
        while (reads < atLeast) await read(reads++);
        var (compiled, quiet) = ((await TotalsAsync(client)).Methods, 0);
        while (quiet < 2 && reads < atMost)
        {
            for (var i = 0; i < Batch && reads < atMost; i++) await read(reads++);
            var now = (await TotalsAsync(client)).Methods;
            quiet = now == compiled ? quiet + 1 : 0;
            compiled = now;
        }
        return reads;
    }

    /// <summary>The runtime's compiled methods and time spent compiling, as /health/ready reports them.</summary>
    public static async Task<(long Methods, double Seconds)> TotalsAsync(ApiProcess api)
    {
        using var client = api.Client();
        return await TotalsAsync(client);
    }

    // Read whatever the status: a lagging node answers 503 with the same runtime totals.
    private static async Task<(long Methods, double Seconds)> TotalsAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health/ready");
        var runtime = (await response.Content.ReadFromJsonAsync<JsonObject>())?["runtime"]
                      ?? throw new InvalidOperationException($"/health/ready: {(int)response.StatusCode}, no runtime totals");
        return (runtime["jitCompiledMethods"]!.GetValue<long>(), runtime["jitSeconds"]!.GetValue<double>());
    }
}
