using System.CommandLine;
using EventSourcedDisclosure.Api.Calendar;
using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.EventStore.Embedded;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace EventSourcedDisclosure.Cli;

/// <summary>A failure the operator can fix, told in one line; exit code 2.</summary>
public sealed class CliError(string message) : Exception(message);

/// <summary>
/// The options every database command takes, and the configuration they make: the API's own
/// keys (ConnectionStrings:Disclosure, DISCLOSURE_*, DataDirectory), so both read one store alike.
/// </summary>
public static class CliOptions
{
    public static readonly Option<string?> Connection = new("--connection")
        { Description = "PostgreSQL connection string (default: ConnectionStrings__Disclosure or DISCLOSURE_CONNECTION)" };
    public static readonly Option<string?> DataDir = new("--data-dir")
        { Description = "The API's data folder: its embedded cluster (attached when the API runs, else started) and keys" };
    public static readonly Option<string?> Schema = new("--schema") { Description = "The store's schema (default: disclosure)" };

    public static T WithDatabase<T>(this T command) where T : Command
    {
        command.Options.Add(Connection);
        command.Options.Add(DataDir);
        command.Options.Add(Schema);
        return command;
    }

    public static IConfiguration Configuration(ParseResult parsed)
    {
        var settings = new Dictionary<string, string?>();
        if (parsed.GetValue(Connection) is { } connection) settings["ConnectionStrings:Disclosure"] = connection;
        if (parsed.GetValue(DataDir) is { } folder) settings["DataDirectory"] = folder;
        if (parsed.GetValue(Schema) is { } schema) settings["EventStore:Schema"] = schema;
        return new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(settings).Build();
    }
}

/// <summary>The store an operator command works on, opened (and migrated) as the API opens it.</summary>
public sealed class CliStore : IAsyncDisposable
{
    private readonly EmbeddedPostgres? _started;

    private CliStore(NpgsqlDataSource source, EventStore.EventStore store, CalendarProvider calendars, EmbeddedPostgres? started)
    {
        DataSource = source;
        Store = store;
        Calendars = calendars;
        _started = started;
    }

    public NpgsqlDataSource DataSource { get; }
    public EventStore.EventStore Store { get; }
    public CalendarProvider Calendars { get; }

    /// <param name="output">Where to say which rebuilds an earlier import or upgrade left for this start.</param>
    public static async Task<CliStore> OpenAsync(IConfiguration config, CancellationToken ct, TextWriter? output = null)
    {
        var connection = DatabaseSetup.ConfiguredConnection(config);
        EmbeddedPostgres? started = null;
        var dataFolderGiven = config["DataDirectory"] is not null || Environment.GetEnvironmentVariable("DISCLOSURE_DATA_DIR") is not null;
        if (connection is null)
        {
            if (!dataFolderGiven)
                throw new CliError("No database: pass --connection (or set DISCLOSURE_CONNECTION), or --data-dir for the embedded default's folder.");
            var cluster = Path.Combine(DatabaseSetup.DataFolder(config), "postgres");
            connection = EmbeddedPostgres.RunningOn(cluster, config["Database:Name"] ?? "disclosure");
            if (connection is null)
            {
                try { started = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(cluster, config["Database:Name"] ?? "disclosure"), ct); }
                catch (EmbeddedPostgresUnavailableException e) { throw new CliError(e.Message); }
                connection = started.ConnectionString;
            }
        }
        var source = StoreSetup.DataSource(connection);
        var calendars = new CalendarProvider();
        // Keys are made only in a data folder the operator named, never beside a bare connection string.
        var store = new EventStore.EventStore(source, StoreSetup.Options(config, calendars, generateKeys: dataFolderGiven));
        try
        {
            await store.MigrateAsync(name => output?.WriteLine(
                $"rebuilding {name}: an import or an upgrade asked for it and it was not done yet (this takes a while on a large store)"), ct);
        }
        catch (InvalidOperationException e)
        {
            await source.DisposeAsync();
            if (started is not null) await started.DisposeAsync();
            throw new CliError(e.Message);
        }
        await calendars.RefreshAsync(store, ct);
        return new CliStore(source, store, calendars, started);
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        if (_started is not null) await _started.DisposeAsync();
    }
}
