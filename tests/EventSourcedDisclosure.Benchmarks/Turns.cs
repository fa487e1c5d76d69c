namespace EventSourcedDisclosure.Benchmarks;

/// <summary>The two loads of the command benchmark: the HTTP commands and the raw appends beside them.</summary>
public enum Load { Http, Raw }

/// <summary>
/// Which load runs, and whether what it completes is counted. The loads take turns in slices
/// (HTTP, raw, HTTP, raw…) so that both meet the same machine: on a shared machine that drifts
/// by a quarter within the hour, a minute of each one after the other set the ratio by when
/// each ran as much as by the code.
/// </summary>
public sealed class Turns
{
    private readonly object _gate = new();
    private Load _load = Load.Http;
    private bool _counted;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gives the turn to <paramref name="load"/>; <paramref name="counted"/>: its completions count.</summary>
    public void Give(Load load, bool counted)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            (_load, _counted, changed) = (load, counted, _changed);
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.SetResult();
    }

    /// <summary>Returns once it is <paramref name="load"/>'s turn (at once if it is), or when <paramref name="stop"/> fires.</summary>
    public async Task WaitAsync(Load load, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Task changed;
            lock (_gate)
            {
                if (_load == load) return;
                changed = _changed.Task;
            }
            try { await changed.WaitAsync(stop); } catch (OperationCanceledException) { }
        }
    }

    /// <summary>Whether a completion of <paramref name="load"/> now is counted.</summary>
    public bool Counts(Load load)
    {
        lock (_gate) return _load == load && _counted;
    }
}
