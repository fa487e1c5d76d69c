using System.Net.Http.Headers;
using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventSourcedDisclosure.Api.Tests.Infrastructure;

/// <summary>
/// The real API pipeline on a fresh database of the test cluster. Tokens are minted with the
/// same HS256 key the host validates, as any script holding the key would.
/// </summary>
public class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public static readonly byte[] Key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
    private TestDatabase? _database;
    private bool _ownsDatabase = true;

    public MovableClock Clock { get; } = new();

    public CapturedLogs Logs { get; } = new();

    /// <summary>The log level of the host; a subclass may listen to everything.</summary>
    protected virtual string LogLevel => "Warning";

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialised.");

    public async Task InitializeAsync() => _database = await TestCluster.CreateDatabaseAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Disclosure", Database.ConnectionString);
        builder.UseSetting("Auth:SigningKey", Convert.ToBase64String(Key));
        builder.UseSetting("DataDirectory", Path.Combine(Path.GetTempPath(), "esd-api-tests", Database.Name)); // the generated audit key
        builder.UseSetting("Logging:Format", "simple");
        builder.UseSetting("Logging:LogLevel:Default", LogLevel);
        builder.UseSetting("Projections:PollMilliseconds", "50");
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, ClientAddress>();
        });
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }

    /// <summary>Every role in every agency: for tests about something other than authorisation.</summary>
    public static readonly string[] AllRoles = Roles.All.Select(r => $"*:{r}").ToArray();

    /// <summary>A client acting as <paramref name="subject"/> with the given "{agency}:{role}" roles (default: all of them).</summary>
    public HttpClient ClientAs(string subject, params string[] roles)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            TokenIssuer.Mint(Key, subject, subject, roles.Length > 0 ? roles : AllRoles));
        return client;
    }

    public HttpClient Anonymous() => CreateClient();

    /// <summary>Another node on this one's database, with the same keys, as a second API process would be.</summary>
    public ApiFactory SecondNode() => new() { _database = Database, _ownsDatabase = false };

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null && _ownsDatabase) await _database.DisposeAsync();
    }
}
