namespace EventSourcedDisclosure.Benchmarks;

/// <summary>
/// CPU time of the API process, of PostgreSQL's processes and of this one (the clients) over a
/// window, from /proc: on a machine the three share, where each one's time goes says what limits
/// a throughput better than the throughput itself. Beside it, the time their threads were ready
/// to run but waited for a core (the scheduler's run-queue delay, /proc/…/task/…/schedstat): cores
/// can be short at moments while, on average, one stands idle.
/// </summary>
public sealed class CpuMeter
{
    private const double TicksPerSecond = 100; // USER_HZ, the unit of /proc/{pid}/stat on Linux

    public sealed record Usage(double Api, double Postgres, double Clients, double Seconds, Waits Waited)
    {
        /// <summary>Two windows' usage together (a load measured in slices); null is none.</summary>
        public static Usage operator +(Usage a, Usage? b) =>
            b is null ? a : new(a.Api + b.Api, a.Postgres + b.Postgres, a.Clients + b.Clients, a.Seconds + b.Seconds, a.Waited + b.Waited);

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

    private readonly int? _api;
    private readonly Dictionary<int, (string Group, long Ticks, Dictionary<int, long> WaitedNs)> _start;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    private CpuMeter(int? api)
    {
        _api = api;
        _start = Read();
    }

    public static CpuMeter Start(int? apiProcess = null) => new(apiProcess);

    /// <summary>CPU seconds each group used since the start (a process that began since counts whole).</summary>
    public Usage Stop()
    {
        var end = Read();
        double Sum(string group) => end.Where(p => p.Value.Group == group)
            .Sum(p => p.Value.Ticks - (_start.TryGetValue(p.Key, out var s) ? s.Ticks : 0)) / TicksPerSecond;
        double Waited(string group) => end.Where(p => p.Value.Group == group)
            .Sum(p => p.Value.WaitedNs.Sum(t => t.Value - (_start.TryGetValue(p.Key, out var s) ? s.WaitedNs.GetValueOrDefault(t.Key) : 0))) / 1e9;
        return new(Sum("api"), Sum("postgres"), Sum("clients"), _clock.Elapsed.TotalSeconds,
            new(Waited("api"), Waited("postgres"), Waited("clients")));
    }

    private Dictionary<int, (string Group, long Ticks, Dictionary<int, long> WaitedNs)> Read()
    {
        var result = new Dictionary<int, (string Group, long Ticks, Dictionary<int, long> WaitedNs)>();
        if (!Directory.Exists("/proc")) return result;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                var group = pid == _api ? "api" : pid == Environment.ProcessId ? "clients" : name == "postgres" ? "postgres" : null;
                if (group is null) continue;
                // After the command's closing parenthesis: state is field 3, utime and stime fields 14 and 15.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                result[pid] = (group, long.Parse(fields[11]) + long.Parse(fields[12]), RunQueueNs(dir));
            }
            catch (IOException) { } // the process ended while being read
        }
        return result;
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
