using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace EventSourcedDisclosure.Benchmarks;

/// <summary>
/// What the API allocates on the managed heap and how long its threads stand still for the
/// collector, from the runtime's own GC events (EventPipe, as dotnet-trace reads them). Unlike CPU
/// time, what a command allocates does not move with the machine's hour, so a change to the
/// command path shows in it at once.
/// </summary>
/// <remarks>
/// The allocation tick comes after about 100 KB allocated on a heap and carries the amount since
/// the last one: their sum is what was allocated, give or take one tick per heap. Events carry no
/// stacks: walking one per tick would cost the API part of what is measured.
/// </remarks>
public sealed class GcMeter : IAsyncDisposable
{
    private readonly EventPipeSession _session;
    private readonly EventPipeEventSource _source;
    private readonly Task _reading;
    private readonly List<(DateTime At, long Bytes)> _allocations = [];
    private readonly List<(DateTime From, DateTime To)> _pauses = [];
    private DateTime? _suspended;

    private GcMeter(EventPipeSession session)
    {
        _session = session;
        _source = new EventPipeEventSource(session.EventStream);
        _source.Clr.GCAllocationTick += tick => _allocations.Add((tick.TimeStamp, tick.AllocationAmount64));
        // The runtime stops its threads for other reasons too (the debugger, swapping in re-jitted code).
        _source.Clr.GCSuspendEEStart += suspend =>
            _suspended = suspend.Reason is GCSuspendEEReason.SuspendForGC or GCSuspendEEReason.SuspendForGCPrep ? suspend.TimeStamp : null;
        _source.Clr.GCRestartEEStop += restart =>
        {
            if (_suspended is { } from) _pauses.Add((from, restart.TimeStamp));
            _suspended = null;
        };
        _reading = Task.Run(_source.Process);
    }

    /// <summary>Listens to process <paramref name="pid"/>; null (and why, on the console) when its runtime does not answer.</summary>
    public static GcMeter? Start(int pid)
    {
        try
        {
            var gc = new EventPipeProvider(ClrTraceEventParser.ProviderName, EventLevel.Verbose, (long)ClrTraceEventParser.Keywords.GC);
            var configuration = new EventPipeSessionConfiguration([gc], circularBufferSizeMB: 64, requestRundown: false, requestStackwalk: false);
            return new GcMeter(new DiagnosticsClient(pid).StartEventPipeSession(configuration));
        }
        catch (Exception e) when (e is ServerNotAvailableException or UnsupportedCommandException or IOException or TimeoutException)
        {
            Console.WriteLine($"  (the API's GC events are not measured: {e.Message})");
            return null;
        }
    }

    /// <summary>Ends the session and sums what fell inside <paramref name="slices"/> (local times, as the events carry).</summary>
    public async Task<Usage> StopAsync(IReadOnlyList<(DateTime From, DateTime To)> slices)
    {
        await _session.StopAsync(CancellationToken.None);
        await _reading;
        bool Inside(DateTime at) => slices.Any(s => at >= s.From && at < s.To);
        var pauses = _pauses.Where(p => Inside(p.From)).Select(p => (p.To - p.From).TotalMilliseconds).ToList();
        return new Usage(_allocations.Where(a => Inside(a.At)).Sum(a => a.Bytes), pauses);
    }

    public ValueTask DisposeAsync()
    {
        _source.Dispose();
        _session.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <param name="Pauses">Each suspension for a collection, in milliseconds (from the suspension's start to the restart's end).</param>
    public sealed record Usage(long Bytes, IReadOnlyList<double> Pauses)
    {
        public string Describe(double seconds) => Pauses.Count == 0
            ? "no collection"
            : $"{Pauses.Count} collections in {seconds:0} s, {Pauses.Average():0.0} ms each on average, the longest {Pauses.Max():0.0} ms";
    }
}
