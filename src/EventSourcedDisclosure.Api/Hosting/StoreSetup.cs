using EventSourcedDisclosure.Api.Activity;
using EventSourcedDisclosure.Api.Agencies;
using EventSourcedDisclosure.Api.Calendar;
using EventSourcedDisclosure.Api.Requests;
using EventSourcedDisclosure.Api.Statistics;
using EventSourcedDisclosure.Api.Catalogue;
using EventSourcedDisclosure.Api.Items;
using EventSourcedDisclosure.Domain.Calendar;
using EventSourcedDisclosure.Domain;
using EventSourcedDisclosure.EventStore;
using EventSourcedDisclosure.EventStore.Projections;
using Npgsql;

namespace EventSourcedDisclosure.Api.Hosting;

/// <summary>The one registration list: event names, and which projections are inline or async.</summary>
public static class StoreSetup
{
    public static EventStoreOptions Options(IConfiguration config) => Options(config, new CalendarProvider());

    public static EventStoreOptions Options(IConfiguration config, CalendarProvider calendars, bool generateKeys = true)
    {
        var options = new EventStoreOptions
        {
            Schema = config["EventStore:Schema"] ?? "disclosure",
            DaemonPollInterval = TimeSpan.FromMilliseconds(config.GetValue("Projections:PollMilliseconds", 100)),
            PersonalDataKey = PersonalDataKey.Resolve(config, generateKeys),
        };
        foreach (var (name, type) in DomainEvents.All) options.Events.Register(type, name);
        foreach (var (name, paths) in DomainEvents.PersonalData) options.Events.PersonalData(name, paths);
        foreach (var name in DomainEvents.Erasures) options.Events.ErasesPersonalData(name);
        options.AddProjection(new AgencyDirectoryProjection(), ProjectionLifecycle.Inline);
        options.AddProjection(new ItemsProjection(calendars), ProjectionLifecycle.Inline);
        options.AddProjection(new LedgerProjection(), ProjectionLifecycle.Inline);
        options.AddProjection(new TrackingProjection(), ProjectionLifecycle.Inline); // after the ledger: it copies from it
        options.AddProjection(new CatalogueProjection(), ProjectionLifecycle.Inline);
        options.AddProjection(new ActivityProjection(), ProjectionLifecycle.Async);
        options.AddProjection(new StatisticsProjection(), ProjectionLifecycle.Async);
        return options;
    }

    /// <summary>
    /// The pool every node uses. Statements are prepared once they repeat (a command runs the same
    /// ten or so each time): parsing and planning them anew cost the database more than running them.
    /// A connection string that sets its own Max Auto Prepare keeps it.
    /// </summary>
    public static NpgsqlDataSource DataSource(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 100;
            builder.AutoPrepareMinUsages = 2;
        }
        // A connection goes back to the pool as it was taken: settings are SET LOCAL and session
        // locks are released by their holders. Resetting it anyway sent seven parsed statements per command.
        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase))
            builder.NoResetOnClose = true;
        return NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public static void AddDisclosureStore(this IServiceCollection services, IConfiguration config, string connectionString)
    {
        services.AddSingleton(_ => DataSource(connectionString));
        var calendars = new CalendarProvider();
        services.AddSingleton(calendars);
        services.AddSingleton(Options(config, calendars));
        services.AddSingleton<EventStore.EventStore>();
        services.AddSingleton<ProjectionAdmin>();
        services.AddSingleton<EventSourcedDisclosure.EventStore.Integrity.ChainVerifier>();
        services.AddSingleton<EventSourcedDisclosure.EventStore.Integrity.AuditLedger>();
        services.AddSingleton<EventSourcedDisclosure.EventStore.Integrity.LogExport>();
        services.AddSingleton<Audit.TreeHeadSigner>();
        services.AddSingleton<KnownStreams>();
        services.AddSingleton<AgencyContexts>();
        services.AddSingleton<CommandBatcher>();
        services.AddSingleton<CommandPipeline>();
        services.AddTransient(sp => sp.GetRequiredService<CalendarProvider>().Current);
        services.AddSingleton<ItemCommandRunner>();
        services.AddSingleton<RequestCommandRunner>();
        services.AddSingleton<CalendarAmendment>();
        services.AddSingleton<Demo.DemoSeeder>();
        services.AddSingleton<Statistics.StatisticsCache>();
        services.AddHostedService<StoreMigrator>(); // registered first: starts before the daemon
        services.AddHostedService<FirstStatisticsService>();
        if (config.GetValue("Projections:Daemon", true))
        {
            services.AddSingleton<ProjectionDaemon>();
            services.AddHostedService(sp => sp.GetRequiredService<ProjectionDaemon>());
        }
    }

    private sealed class StoreMigrator(EventStore.EventStore store, CalendarProvider calendars, ILogger<StoreMigrator> log) : IHostedService
    {
        public async Task StartAsync(CancellationToken ct)
        {
            await store.MigrateAsync(name => log.LogWarning(
                "Rebuilding projection {Projection} before serving: an import or an upgrade asked for it and it was not done yet.", name), ct);
            await calendars.RefreshAsync(store, ct);
        }

        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
