namespace EventSourcedDisclosure.Benchmarks;

/// <summary>
/// CPU time of the API process, of PostgreSQL's processes and of this one (the clients) over a
/// window, from /proc: on a machine the three share, where each one's time goes says what limits
/// a throughput better than the throughput itself. Beside it, the time their threads were ready
/// to run but waited for a core (the scheduler's run-queue delay, /proc/…/task/…/schedstat): cores
/// can be short at moments while, on average, one stands idle. And PostgreSQL's autovacuum
/// workers apart, by database: their work falls on whichever load's slice is running when the
/// launcher starts them, whichever load made it.
/// </summary>
public sealed class CpuMeter
{
    private const double TicksPerSecond = 100; // USER_HZ, the unit of /proc/{pid}/stat on Linux

    /// <param name="Vacuum">CPU seconds of autovacuum workers by database (part of <paramref name="Postgres"/>).</param>
    public sealed record Usage(double Api, double Postgres, double Clients, double Seconds, Waits Waited, IReadOnlyDictionary<string, double> Vacuum)
    {
        /// <summary>Two windows' usage together (a load measured in slices); null is none.</summary>
        public static Usage operator +(Usage a, Usage? b) =>
            b is null ? a : new(a.Api + b.Api, a.Postgres + b.Postgres, a.Clients + b.Clients, a.Seconds + b.Seconds, a.Waited + b.Waited,
                a.Vacuum.Concat(b.Vacuum).GroupBy(v => v.Key).ToDictionary(g => g.Key, g => g.Sum(v => v.Value)));

        public double VacuumTotal => Vacuum.Values.Sum();

        /// <summary>Autovacuum's cores by database, e.g. "bench_commands 0.04, bench_raw 0.01".</summary>
        public string VacuumByDatabase
        {
            get
            {
                // A worker not yet connected has no database in its title; under half a thousandth of a core prints as nothing.
                var shown = Vacuum.Where(v => v.Key.Length > 0 && v.Value / Seconds >= 0.0005).OrderBy(v => v.Key)
                    .Select(v => $"{v.Key} {v.Value / Seconds:0.000}").ToList();
                return shown.Count == 0 ? "none" : string.Join(", ", shown);
            }
        }

        public string Cores => $"cores busy: API {Api / Seconds:0.00}, PostgreSQL {Postgres / Seconds:0.00}, clients {Clients / Seconds:0.00}";

        /// <summary>Thread-seconds spent ready but waiting for a core, per second of the window.</summary>
        public string Queued =>
            $"waiting for a core: API {Waited.Api / Seconds:0.00}, PostgreSQL {Waited.Postgres / Seconds:0.00}, clients {Waited.Clients / Seconds:0.00}";
    }

    /// <summary>Seconds each group's threads spent ready to run and waiting for a core.</summary>
    public sealed record Waits(double Api, double Postgres, double Clients)
    {
        public double Total => Api + Postgres + Clients;

        public static Waits operator +(Waits a, Waits b) => new(a.Api + b.Api, a.Postgres + b.Postgres, a.Clients + b.Clients);
    }

    private const string VacuumGroup = "vacuum:";
    // Short-lived processes (autovacuum workers, above all) can begin and end between the window's
    // two reads: PostgreSQL's processes are also read this often in between, so one that ends
    // takes at most this much of its time with it.
    private static readonly TimeSpan PostgresPoll = TimeSpan.FromMilliseconds(200);

    private readonly int? _api;
    private readonly Dictionary<int, Sample> _start;
    private readonly Dictionary<int, Sample> _lastSeen = new();
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly CancellationTokenSource _stopPolling = new();
    private readonly Task _polling;

    private sealed record Sample(string Group, long Ticks, Dictionary<int, long> WaitedNs);

    private CpuMeter(int? api)
    {
        _api = api;
        _start = Read(postgresOnly: false);
        _polling = PollPostgresAsync(_stopPolling.Token);
    }

    public static CpuMeter Start(int? apiProcess = null) => new(apiProcess);

    /// <summary>CPU seconds each group used since the start (a process that began since counts whole).</summary>
    public Usage Stop()
    {
        _stopPolling.Cancel();
        _polling.GetAwaiter().GetResult();
        var end = Read(postgresOnly: false);
        foreach (var (pid, last) in _lastSeen) end.TryAdd(pid, last); // ended inside the window
        double Sum(string group) => end.Where(p => p.Value.Group == group)
            .Sum(p => p.Value.Ticks - (_start.TryGetValue(p.Key, out var s) ? s.Ticks : 0)) / TicksPerSecond;
        double Waited(string group) => end.Where(p => p.Value.Group == group)
            .Sum(p => p.Value.WaitedNs.Sum(t => t.Value - (_start.TryGetValue(p.Key, out var s) ? s.WaitedNs.GetValueOrDefault(t.Key) : 0))) / 1e9;
        var vacuum = end.Values.Select(p => p.Group).Where(g => g.StartsWith(VacuumGroup, StringComparison.Ordinal)).Distinct()
            .ToDictionary(g => g[VacuumGroup.Length..], Sum);
        return new(Sum("api"), Sum("postgres") + vacuum.Values.Sum(), Sum("clients"), _clock.Elapsed.TotalSeconds,
            new(Waited("api"), Waited("postgres") + vacuum.Keys.Sum(d => Waited(VacuumGroup + d)), Waited("clients")), vacuum);
    }

    private async Task PollPostgresAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(PostgresPoll);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
                foreach (var (pid, sample) in Read(postgresOnly: true)) _lastSeen[pid] = sample;
        }
        catch (OperationCanceledException) { } // the window is over
    }

    private Dictionary<int, Sample> Read(bool postgresOnly)
    {
        var result = new Dictionary<int, Sample>();
        if (!Directory.Exists("/proc")) return result;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                var group = name == "postgres" ? PostgresGroup(dir)
                    : postgresOnly ? null : pid == _api ? "api" : pid == Environment.ProcessId ? "clients" : null;
                if (group is null) continue;
                // After the command's closing parenthesis: state is field 3, utime and stime fields 14 and 15.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // A process seen only by the poll keeps no run-queue waits (they are read per thread, at the two ends).
                result[pid] = new(group, long.Parse(fields[11]) + long.Parse(fields[12]), postgresOnly ? [] : RunQueueNs(dir));
            }
            catch (IOException) { } // the process ended while being read
        }
        return result;
    }

    // The process title PostgreSQL sets: "postgres: autovacuum worker bench_commands".
    private static string PostgresGroup(string process)
    {
        const string worker = "autovacuum worker ";
        var title = File.ReadAllText(Path.Combine(process, "cmdline")).TrimEnd('\0');
        var at = title.IndexOf(worker, StringComparison.Ordinal);
        return at < 0 ? "postgres" : VacuumGroup + title[(at + worker.Length)..].Trim();
    }

    // Per thread, so that a thread ending inside the window takes neither its wait nor its start
    // with it (the thread pools retire idle threads). schedstat: time on a core, time waiting for one, slices (ns).
    private static Dictionary<int, long> RunQueueNs(string process)
    {
        var waits = new Dictionary<int, long>();
        foreach (var task in Directory.EnumerateDirectories(Path.Combine(process, "task")))
        {
            try { waits[int.Parse(Path.GetFileName(task))] = long.Parse(File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ')[1]); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // the thread ended, or no schedstats
        }
        return waits;
    }
}
