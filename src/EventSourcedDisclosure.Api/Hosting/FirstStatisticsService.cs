using EventSourcedDisclosure.EventStore.Schema;

namespace EventSourcedDisclosure.Api.Hosting;

/// <summary>Looks every few seconds for store tables that filled up with no statistics yet (<see cref="FirstStatistics"/>).</summary>
public sealed class FirstStatisticsService(EventStore.EventStore store, IConfiguration config, ILogger<FirstStatisticsService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(config.GetValue("Store:FirstStatisticsSeconds", 5.0));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var table in await FirstStatistics.AnalyzeFilledTablesAsync(store.DataSource, store.Options.Schema, stoppingToken))
                    log.LogInformation("Took the first statistics of {Table}.", table);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Looking for tables without statistics failed; trying again later.");
            }
            try { await Task.Delay(interval, stoppingToken); } catch (OperationCanceledException) { }
        }
    }
}
