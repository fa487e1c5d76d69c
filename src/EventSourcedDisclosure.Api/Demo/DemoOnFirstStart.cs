namespace EventSourcedDisclosure.Api.Demo;

/// <summary>
/// On the embedded default's first start (an empty store) the demo year is seeded before the
/// server listens, so Swagger UI, the catalogue and a report show real content at once.
/// `Demo:SeedOnFirstStart` switches it off (or on, for a configured database).
/// </summary>
public sealed class DemoOnFirstStart(DemoSeeder seeder, ILogger<DemoOnFirstStart> log) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        if (!await seeder.StoreIsEmptyAsync(ct)) return;
        var summary = await seeder.SeedAsync(ct: ct);
        log.LogInformation("Seeded the demo year {Year}: {Agencies} agencies, {Items} items, {Requests} requests, {Events} events",
            summary.Year, summary.Agencies.Count, summary.Items, summary.Requests, summary.Events);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    public static void Add(IServiceCollection services, IConfiguration config, bool embedded)
    {
        if (config.GetValue("Demo:SeedOnFirstStart", embedded)) services.AddHostedService<DemoOnFirstStart>();
    }
}
