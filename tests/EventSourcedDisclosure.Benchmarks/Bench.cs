using System.Diagnostics;
using EventSourcedDisclosure.EventStore.Embedded;
using Npgsql;

namespace EventSourcedDisclosure.Benchmarks;

/// <summary>One figure, beside the ceiling PostgreSQL itself reached in the same run where one applies.</summary>
public sealed record Measurement(string Name, double Value, string Unit, double? Ceiling, double? Ratio, string Target, bool Met, string? Detail = null);

/// <summary>The sizes of a run: --quick is a tenth of the data and a quarter of the durations.</summary>
public sealed record Scale(bool Quick)
{
    public int Agencies => Quick ? 20 : 200;
    public int ItemsPerAgency => 1_500;           // 300,000 catalogue items at full size
    public int RequestsPerAgency => Quick ? 10 : 20;
    public TimeSpan CommandDuration => TimeSpan.FromSeconds(Quick ? 15 : 60);
    // The commands and their ceiling take turns in slices of this length, so many of each.
    public TimeSpan CommandSlice => TimeSpan.FromSeconds(Quick ? 5 : 15);
    public int CommandSlices => (int)(CommandDuration / CommandSlice);
    // The API's warm-up is as long in the quick run: its profile-guided re-JIT takes some 15 s of
    // the load, and 5 s left it running into the measured slices (the API 0.13 of a core busy
    // during the raw appends' slices, against 0.02–0.03 after 15 s).
    public TimeSpan HttpWarmUp => TimeSpan.FromSeconds(15);
    public TimeSpan RawWarmUp => TimeSpan.FromSeconds(Quick ? 5 : 15);
    public int ReadSamples => Quick ? 60 : 300;
    // Reads before a read is timed (then more until the JIT is quiet, up to twice as many): past the
    // tiering's bursts (ReadBenchmark.FirstReadWarmUpAsync). Fewer in the quick run, which checks
    // the harness within its 3 minutes rather than the targets.
    public int ReadWarmUps => Quick ? 100 : 200;
    public int FirstReadWarmUps => Quick ? 300 : 600;
    // Each projection's rebuilds, a round apart (StoreBenchmarks.RebuildAsync); once in the quick run.
    public int RebuildRounds => Quick ? 1 : 3;
    public int Clients => 16;
}

/// <summary>Where figures go: the run's results, or a scratch list for preparation steps.</summary>
public interface IMeasurements
{
    string WorkFolder { get; }
    void Add(Measurement m);
}

/// <summary>
/// The run's PostgreSQL: a throwaway cluster with production durability (fsync and synchronous
/// commit on, unlike the test fixture), one database per measurement.
/// </summary>
public sealed class Bench : IAsyncDisposable, IMeasurements
{
    /// <summary>Measures a preparation step without reporting it.</summary>
    public sealed class Scratch(Bench bench, bool print = false) : IMeasurements
    {
        public IMeasurements Sink => this;
        public string WorkFolder => bench.WorkFolder;
        public void Add(Measurement m) { if (print) Console.WriteLine($"  {m.Name}: {m.Value:0.#} {m.Unit} ({m.Detail})"); }
    }

    private readonly EmbeddedPostgres _cluster;
    private readonly string _root;

    private Bench(EmbeddedPostgres cluster, string root, Scale scale)
    {
        _cluster = cluster;
        _root = root;
        Scale = scale;
    }

    public Scale Scale { get; }
    public List<Measurement> Results { get; } = [];
    public string WorkFolder => _root;

    private const string Prefix = "esd-bench-";

    public static async Task<Bench> StartAsync(Scale scale)
    {
        // Killed runs' folders (a full run's is gigabytes), their clusters stopped if still running:
        // the test clusters' clean-up, so the folder is named and laid out as theirs.
        await EmbeddedPostgres.CleanUpOrphansAsync(Prefix);
        var root = Path.Combine("/tmp", $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}");
        Directory.CreateDirectory(root);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(root, (UnixFileMode)Convert.ToInt32("755", 8));
        var cluster = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(Path.Combine(root, "data"), "postgres")
        {
            Durable = true,
            Settings = ServerSettings.FromOps(),
        });
        return new Bench(cluster, root, scale);
    }

    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var connection = new NpgsqlConnection(Admin()))
        {
            await connection.OpenAsync();
            foreach (var sql in new[] { $"drop database if exists {name}", $"create database {name}" })
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
            }
        }
        return new NpgsqlConnectionStringBuilder(_cluster.ConnectionString) { Database = name, MaxPoolSize = 200 }.ConnectionString;
    }

    public async Task<string> ServerVersionAsync()
    {
        await using var connection = new NpgsqlConnection(Admin());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("show server_version", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private string Admin() => new NpgsqlConnectionStringBuilder(_cluster.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;

    public void Add(Measurement m)
    {
        Results.Add(m);
        Console.WriteLine($"  {m.Name}: {m.Value:0.###} {m.Unit}" + (m.Ceiling is { } c ? $" (ceiling {c:0.###}, ratio {m.Ratio:0.00})" : "") +
            $" — target {m.Target}: {(m.Met ? "met" : "NOT met")}" + (m.Detail is null ? "" : $" [{m.Detail}]"));
    }

    public static async Task<T> TimedAsync<T>(string what, Func<Task<T>> work)
    {
        Console.WriteLine($"- {what}");
        var clock = Stopwatch.StartNew();
        var result = await work();
        Console.WriteLine($"  ({clock.Elapsed.TotalSeconds:0.0} s)");
        return result;
    }

    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100 * sorted.Count) - 1)];

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
