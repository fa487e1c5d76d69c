using System.Text;
using System.Text.Json;

namespace EventSourcedDisclosure.Benchmarks;

/// <summary>bench-results.json (one object per measurement) and the same as a Markdown table.</summary>
public static class Report
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task WriteAsync(string folder, Machine machine, Scale scale, IReadOnlyList<Measurement> results, TimeSpan took)
    {
        var document = new
        {
            run = scale.Quick ? "quick" : "full",
            at = DateTimeOffset.UtcNow,
            seconds = Math.Round(took.TotalSeconds),
            machine,
            measurements = results.Select(r => new { r.Name, r.Value, r.Unit, r.Ceiling, r.Ratio, r.Target, r.Met, r.Detail }),
        };
        await File.WriteAllTextAsync(Path.Combine(folder, "bench-results.json"), JsonSerializer.Serialize(document, Json));
        await File.WriteAllTextAsync(Path.Combine(folder, "bench-results.md"), Markdown(machine, scale, results, took));
    }

    public static string Markdown(Machine machine, Scale scale, IReadOnlyList<Measurement> results, TimeSpan took)
    {
        var md = new StringBuilder();
        md.AppendLine($"{(scale.Quick ? "Quick" : "Full")} run, {DateTimeOffset.UtcNow:yyyy-MM-dd}, {took.TotalMinutes:0.0} min: {machine.Cores} cores ({machine.Cpu}), " +
            $"{machine.MemoryGiB} GiB, PostgreSQL {machine.PostgreSql} (fsync and synchronous_commit on), .NET {machine.Dotnet}.");
        md.AppendLine();
        md.AppendLine("| measurement | value | ceiling (same run) | ratio | target | met |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var r in results)
            md.AppendLine($"| {r.Name}{(r.Detail is null ? "" : $" ({r.Detail})")} | {r.Value:0.##} {r.Unit} | {(r.Ceiling is { } c ? $"{c:0.##} {r.Unit}" : "—")} | " +
                $"{(r.Ratio is { } x ? x.ToString("0.00") : "—")} | {r.Target} | {(r.Met ? "yes" : "**no**")} |");
        return md.ToString();
    }
}
