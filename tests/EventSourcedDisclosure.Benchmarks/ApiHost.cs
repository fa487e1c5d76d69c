using EventSourcedDisclosure.Testing;

namespace EventSourcedDisclosure.Benchmarks;

/// <summary>The API as its own process on loopback (the tests' <see cref="ApiProcess"/>), on a benchmark database, with the run's keys.</summary>
public static class ApiHost
{
    public static readonly byte[] SigningKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
    public static readonly byte[] PersonalKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    public static async Task<ApiProcess> StartAsync(string connectionString, string dataFolder)
    {
        var api = ApiProcess.Start(dataFolder, new Dictionary<string, string?>
        {
            ["ConnectionStrings__Disclosure"] = connectionString,
            ["DISCLOSURE_AUTH_SIGNING_KEY"] = Convert.ToBase64String(SigningKey),
            ["PersonalData__KeyEncryptionKey"] = Convert.ToBase64String(PersonalKey),
            ["DataDirectory"] = dataFolder,
            ["Logging__LogLevel__Default"] = "Warning",
        });
        await api.WaitReadyAsync(TimeSpan.FromSeconds(120));
        return api;
    }
}
