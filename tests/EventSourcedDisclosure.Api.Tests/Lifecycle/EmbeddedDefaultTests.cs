using EventSourcedDisclosure.Testing;
using System.Net;
using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.Api.Tests.Infrastructure;

namespace EventSourcedDisclosure.Api.Tests.Lifecycle;

/// <summary>
/// The README's run command on a machine with PostgreSQL's binaries and nothing running: the API
/// starts its own cluster under the working directory, stops it cleanly, survives a kill -9,
/// and keeps its data across all of it.
/// </summary>
public sealed class EmbeddedDefaultTests : IDisposable
{
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("esd-readme-").FullName;

    // Temporary folders are created 0700; the cluster runs as the postgres user and must reach into it.
    public EmbeddedDefaultTests()
    {
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(_workingDirectory, (UnixFileMode)Convert.ToInt32("755", 8));
    }

    [Fact]
    public async Task Starts_on_the_embedded_default_and_keeps_data_across_stop_and_kill()
    {
        string token;
        int demoEntries;
        await using (var first = ApiProcess.Start(_workingDirectory, new Dictionary<string, string?>()))
        {
            (await first.WaitReadyAsync(TimeSpan.FromSeconds(60))).ShouldBeLessThan(TimeSpan.FromSeconds(60));
            File.Exists(Path.Combine(_workingDirectory, ".data", "postgres", "PG_VERSION")).ShouldBeTrue();
            token = TokenFromDataFolder();
            // The first start seeded the demo year: the public catalogue has content at once.
            demoEntries = (await (await first.Client(null).GetAsync("/api/v1/catalogue?pageSize=1")).BodyAsync())["total"]!.GetValue<int>();
            demoEntries.ShouldBeGreaterThan(100);
            var created = await first.Client(token).SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/lyxsfj",
                new { name = "隆尧县司法局", region = "130525", indexPrefix = "lyxsfj" });
            created.StatusCode.ShouldBe(HttpStatusCode.Created);

            first.Terminate();
            (await first.WaitForExitAsync(TimeSpan.FromSeconds(30))).ShouldBe(0, first.Output);
            // A clean stop stops the cluster too: no postmaster is left holding the folder.
            File.Exists(Path.Combine(_workingDirectory, ".data", "postgres", "postmaster.pid")).ShouldBeFalse();
        }

        await using (var second = ApiProcess.Start(_workingDirectory, new Dictionary<string, string?>()))
        {
            await second.WaitReadyAsync(TimeSpan.FromSeconds(60));
            (await second.Client(token).GetAsync("/api/v1/agencies/lyxsfj")).StatusCode.ShouldBe(HttpStatusCode.OK);
            // A store that holds events is never seeded again.
            (await (await second.Client(null).GetAsync("/api/v1/catalogue?pageSize=1")).BodyAsync())["total"]!.GetValue<int>().ShouldBe(demoEntries);
            second.KillHard();
            await second.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }

        // The killed run left its postmaster behind; the next start takes the folder over.
        await using var third = ApiProcess.Start(_workingDirectory, new Dictionary<string, string?>());
        await third.WaitReadyAsync(TimeSpan.FromSeconds(60));
        var read = await third.Client(token).GetAsync("/api/v1/agencies/lyxsfj");
        (await read.BodyAsync())["name"]!.GetValue<string>().ShouldBe("隆尧县司法局");
        third.Terminate();
        (await third.WaitForExitAsync(TimeSpan.FromSeconds(30))).ShouldBe(0, third.Output);
    }

    [Fact]
    public async Task Without_PostgreSQL_binaries_it_exits_non_zero_naming_the_package()
    {
        await using var api = ApiProcess.Start(_workingDirectory,
            new Dictionary<string, string?> { ["DISCLOSURE_PG_BIN"] = "/nonexistent/postgresql/bin" });
        var code = await api.WaitForExitAsync(TimeSpan.FromSeconds(30));
        code.ShouldNotBe(0);
        var lines = api.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.ShouldHaveSingleItem().ShouldContain("apt-get install postgresql");
    }

    private string TokenFromDataFolder()
    {
        var key = Convert.FromBase64String(File.ReadAllText(Path.Combine(_workingDirectory, ".data", "signing-key")).Trim());
        return TokenIssuer.Mint(key, "readme-user", "readme-user", ["*:admin"]);
    }

    public void Dispose()
    {
        try { Directory.Delete(_workingDirectory, true); } catch (IOException) { }
    }
}
