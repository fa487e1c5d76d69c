namespace EventSourcedDisclosure.Benchmarks;

/// <summary>Where the figures came from: they mean little without it.</summary>
public sealed record Machine(int Cores, string Cpu, string MemoryGiB, string PostgreSql, string Dotnet, string Os)
{
    public static Machine Read(string postgres)
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "unknown"
            : "unknown";
        var memory = File.Exists("/proc/meminfo")
            ? (long.Parse(File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0 / 1024).ToString("0.0")
            : "unknown";
        return new(Environment.ProcessorCount, cpu, memory, postgres, Environment.Version.ToString(),
            System.Runtime.InteropServices.RuntimeInformation.OSDescription);
    }
}
