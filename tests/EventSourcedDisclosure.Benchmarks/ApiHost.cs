using EventSourcedDisclosure.Testing;

namespace EventSourcedDisclosure.Benchmarks;

/// <summary>The API as its own process on loopback (the tests' <see cref="ApiProcess"/>), on a benchmark database, with the run's keys.</summary>
public static class ApiHost
{
    public static readonly byte[] SigningKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
    public static readonly byte[] PersonalKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    private const string ForApi = "APIENV_";

    public static async Task<ApiProcess> StartAsync(string connectionString, string dataFolder)
    {
        var settings = ApiProcess.Deployment(connectionString, SigningKey, PersonalKey);
        settings["DataDirectory"] = dataFolder;
        settings["Logging__LogLevel__Default"] = "Warning";
        // `APIENV_Commands__Writers=3 build/bench.sh …`: a setting for the API alone, not for the
        // benchmark's own clients and raw writers (an A/B by hand).
        foreach (var entry in Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>())
            if (entry.Key is string name && name.StartsWith(ForApi, StringComparison.Ordinal))
                settings[name[ForApi.Length..]] = entry.Value as string;
        var api = ApiProcess.Start(dataFolder, settings);
        await api.WaitReadyAsync(TimeSpan.FromSeconds(120));
        return api;
    }
}
