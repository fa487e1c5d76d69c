using System.Diagnostics;
using System.Globalization;
using EventSourcedDisclosure.Api.Calendar;
using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.EventStore.Projections;

namespace EventSourcedDisclosure.Benchmarks;

/// <summary>
/// One projection rebuilt in a process of its own, as operators run it with the CLI: fresh code
/// to compile, and the CLI's runtime settings (server GC, no profile-guided tiering; its project
/// says why) rather than this process's, whose workstation collector suits the command load's
/// clients (with server GC here the command ratio fell 0.50, 0.49 → 0.47, 0.46). Only the rebuild
/// is timed, in the child, not the process's start.
/// </summary>
public static class RebuildProcess
{
    public const string ChildFlag = "--rebuild-child";

    /// <summary>The rebuild's time and when its replay reached the whole log.</summary>
    public sealed record Timing(TimeSpan Total, TimeSpan? Replayed);

    public static async Task<Timing> RunAsync(string connection, string folder, string name, long events)
    {
        var start = new ProcessStartInfo("dotnet", [typeof(RebuildProcess).Assembly.Location, ChildFlag, name, events.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // The CLI's runtime settings (its project), unless the run is given others for an A/B by hand.
        foreach (var (setting, cli) in CliRuntime)
            if (Environment.GetEnvironmentVariable(setting) is null) start.Environment[setting] = cli;
        start.Environment[ConnectionVariable] = connection;
        start.Environment[FolderVariable] = folder;
        start.Environment[ApiHost.PersonalKeyVariable] = Convert.ToBase64String(ApiHost.PersonalKey);
        using var child = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Split(' ');
        if (child.ExitCode != 0 || last is not [var total, var replayed])
            throw new InvalidOperationException($"rebuild {name} failed (exit {child.ExitCode}): {output}");
        return new(TimeSpan.FromSeconds(double.Parse(total, CultureInfo.InvariantCulture)),
            replayed == "-" ? null : TimeSpan.FromSeconds(double.Parse(replayed, CultureInfo.InvariantCulture)));
    }

    /// <summary>In the child: the rebuild, then a last line "seconds replayed-by-seconds".</summary>
    public static async Task<int> ChildAsync(string name, long events)
    {
        await using var source = StoreSetup.DataSource(Environment.GetEnvironmentVariable(ConnectionVariable)!);
        var store = new EventStore.EventStore(source, StoreSetup.Options(StoreBenchmarks.Config(Environment.GetEnvironmentVariable(FolderVariable)!), new CalendarProvider()));
        var clock = Stopwatch.StartNew();
        TimeSpan? replayed = null;
        // Every kind of replay reports the whole log once it has been through it (a by-stream one
        // after its last page); what comes after is indexes, statistics and the commit.
        await new ProjectionAdmin(store).RebuildAsync(name, new SyncProgress(done => replayed ??= done >= events ? clock.Elapsed : null));
        var total = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{total:0.000} {(replayed is { } r ? r.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture) : "-")}"));
        return 0;
    }

    private static readonly (string Setting, string Value)[] CliRuntime = [("DOTNET_gcServer", "1"), ("DOTNET_TieredPGO", "0")];

    private const string ConnectionVariable = "BENCH_REBUILD_CONNECTION";
    private const string FolderVariable = "BENCH_REBUILD_FOLDER";

    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
