using Spectre.Console;

namespace EventSourcedDisclosure.Cli;

/// <summary>
/// Progress of a long command: a Spectre.Console bar on a terminal; elsewhere (CI logs, tests,
/// pipes) a plain line at every tenth, so the output still shows the work moving.
/// </summary>
public static class CliProgress
{
    public static async Task<T> RunAsync<T>(TextWriter output, string title, long total, Func<IProgress<long>, Task<T>> work)
    {
        if (ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive)
        {
            T result = default!;
            await AnsiConsole.Progress().AutoClear(false).StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(title), maxValue: Math.Max(total, 1));
                result = await work(new Progress<long>(done => task.Value = done));
                task.Value = task.MaxValue;
            });
            return result;
        }
        var reporter = new LineReporter(output, title, total);
        var value = await work(reporter);
        reporter.Finish();
        return value;
    }

    // Reports synchronously: Progress<T> would post to the thread pool and lines could arrive after the result.
    private sealed class LineReporter(TextWriter output, string title, long total) : IProgress<long>
    {
        private long _nextTenth = 1;
        private long _done;

        public void Report(long done)
        {
            _done = done;
            if (total <= 0) return;
            while (_nextTenth <= 9 && done * 10 >= total * _nextTenth)
            {
                output.WriteLine($"{title}: {done}/{total} ({_nextTenth * 10}%)");
                _nextTenth++;
            }
        }

        public void Finish() => output.WriteLine($"{title}: {_done}/{total} done");
    }
}
