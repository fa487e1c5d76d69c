namespace EventSourcedDisclosure.Benchmarks;

/// <summary>
/// CPU time of the API process, of PostgreSQL's processes and of this one (the clients) over a
/// window, from /proc: on a machine the three share, where each one's time goes says what limits
/// a throughput better than the throughput itself.
/// </summary>
public sealed class CpuMeter
{
    private const double TicksPerSecond = 100; // USER_HZ, the unit of /proc/{pid}/stat on Linux

    public sealed record Usage(double Api, double Postgres, double Clients, double Seconds)
    {
        /// <summary>Two windows' usage together (a load measured in slices); null is none.</summary>
        public static Usage operator +(Usage a, Usage? b) =>
            b is null ? a : new(a.Api + b.Api, a.Postgres + b.Postgres, a.Clients + b.Clients, a.Seconds + b.Seconds);

        public string Cores => $"cores busy: API {Api / Seconds:0.00}, PostgreSQL {Postgres / Seconds:0.00}, clients {Clients / Seconds:0.00}";
    }

    private readonly int? _api;
    private readonly Dictionary<int, (string Group, long Ticks)> _start;
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
        return new(Sum("api"), Sum("postgres"), Sum("clients"), _clock.Elapsed.TotalSeconds);
    }

    private Dictionary<int, (string Group, long Ticks)> Read()
    {
        var result = new Dictionary<int, (string Group, long Ticks)>();
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
                result[pid] = (group, long.Parse(fields[11]) + long.Parse(fields[12]));
            }
            catch (IOException) { } // the process ended while being read
        }
        return result;
    }
}
