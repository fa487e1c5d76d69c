using EventSourcedDisclosure.Testing;

namespace EventSourcedDisclosure.Cli.Tests;

/// <summary>A store seeded with the demo year and exported (with its keys when asked), and an empty database beside it.</summary>
internal sealed class SeededExport : IAsyncDisposable
{
    public required TestDatabase Source { get; init; }
    public required TestDatabase Target { get; init; }
    public required CliRun From { get; init; }
    public required string Events { get; init; }
    public string? Keys { get; init; }

    public static async Task<SeededExport> CreateAsync(bool withKeys)
    {
        var source = await TestCluster.CreateDatabaseAsync();
        var from = new CliRun(source);
        (await from.RunAsync("seed-demo")).Code.ShouldBe(0);
        var events = Path.Combine(from.DataDir, "events.ndjson");
        var keys = withKeys ? Path.Combine(from.DataDir, "keys.ndjson") : null;
        (await from.RunAsync(keys is null ? ["export", "--out", events] : ["export", "--out", events, "--keys", keys])).Code.ShouldBe(0);
        return new SeededExport { Source = source, Target = await TestCluster.CreateDatabaseAsync(), From = from, Events = events, Keys = keys };
    }

    public async ValueTask DisposeAsync()
    {
        From.Dispose();
        await Source.DisposeAsync();
        await Target.DisposeAsync();
    }
}
