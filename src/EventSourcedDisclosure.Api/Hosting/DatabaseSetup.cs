using EventSourcedDisclosure.EventStore.Embedded;

namespace EventSourcedDisclosure.Api.Hosting;

/// <summary>
/// A configured connection string (ConnectionStrings:Disclosure or DISCLOSURE_CONNECTION) is the
/// deployment path; without one the API starts its own cluster in the data folder.
/// </summary>
public static class DatabaseSetup
{
    public static string DataFolder(IConfiguration config) =>
        Path.GetFullPath(config["DataDirectory"] ?? Environment.GetEnvironmentVariable("DISCLOSURE_DATA_DIR") ?? ".data");

    public static string? ConfiguredConnection(IConfiguration config) =>
        config.GetConnectionString("Disclosure") is { Length: > 0 } c ? c
        : Environment.GetEnvironmentVariable("DISCLOSURE_CONNECTION") is { Length: > 0 } e ? e
        : null;

    public static async Task<(string ConnectionString, EmbeddedPostgres? Embedded)> ResolveAsync(IConfiguration config)
    {
        if (ConfiguredConnection(config) is { } configured) return (configured, null);
        var embedded = await EmbeddedPostgres.StartAsync(
            new EmbeddedPostgresOptions(Path.Combine(DataFolder(config), "postgres"), config["Database:Name"] ?? "disclosure"));
        return (embedded.ConnectionString, embedded);
    }
}
