using System.Diagnostics;
using EventSourcedDisclosure.EventStore.Embedded;
using Npgsql;

namespace EventSourcedDisclosure.Cli.Tests;

/// <summary>
/// An operator stops `esd` (SIGTERM, as `kill` or systemd sends it) while it works on the embedded
/// default: the cluster it started must not outlive it.
/// </summary>
public sealed class TerminationTests
{
    [Fact]
    public async Task Esd_terminated_mid_command_stops_the_cluster_it_started()
    {
        var dataDir = Directory.CreateTempSubdirectory("esd-term-").FullName;
        var postmaster = 0;
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dataDir, (UnixFileMode)Convert.ToInt32("755", 8)); // the postgres user must reach the cluster inside
        try
        {
            // An import reading a pipe nobody writes to: the store is open, and the command waits.
            var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "esd.dll"), "import", "--in", "/dev/stdin", "--data-dir", dataDir])
                { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            using var esd = Process.Start(start)!;
            var cluster = Path.Combine(dataDir, "postgres");
            postmaster = await WaitForStoreAsync(cluster, esd);

            using (var kill = Process.Start("kill", ["-TERM", esd.Id.ToString()])!) await kill.WaitForExitAsync();
            using (var exited = new CancellationTokenSource(TimeSpan.FromSeconds(60))) await esd.WaitForExitAsync(exited.Token);

            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (Alive(postmaster) && DateTime.UtcNow < deadline) await Task.Delay(200);
            Alive(postmaster).ShouldBeFalse($"postmaster {postmaster} still runs after esd ended");
            EmbeddedPostgres.RunningOn(cluster, "disclosure").ShouldBeNull();
        }
        finally
        {
            // Should the test fail, the cluster goes anyway (SIGQUIT: PostgreSQL's immediate shutdown).
            if (postmaster != 0 && Alive(postmaster))
                using (var stop = Process.Start("kill", ["-QUIT", postmaster.ToString()])!) await stop.WaitForExitAsync();
            await DeleteAsync(dataDir);
        }
    }

    // PostgreSQL's last processes may still be leaving files while the folder goes: try again a little.
    private static async Task DeleteAsync(string folder)
    {
        for (var attempt = 1; ; attempt++)
        {
            try { Directory.Delete(folder, recursive: true); return; }
            catch (IOException) when (attempt < 20) { await Task.Delay(250); }
        }
    }

    // The postmaster's pid, once esd's store is migrated (so the cluster is esd's to stop).
    private static async Task<int> WaitForStoreAsync(string cluster, Process esd)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (esd.HasExited)
                throw new InvalidOperationException($"esd ended ({esd.ExitCode}): {await esd.StandardOutput.ReadToEndAsync()}{await esd.StandardError.ReadToEndAsync()}");
            if (EmbeddedPostgres.RunningOn(cluster, "disclosure") is { } connection)
            {
                try
                {
                    await using var db = new NpgsqlConnection(connection);
                    await db.OpenAsync();
                    await using var migrated = new NpgsqlCommand("select count(*) from pg_tables where schemaname = 'disclosure' and tablename = 'catalogue_entries'", db);
                    if ((long)(await migrated.ExecuteScalarAsync())! == 1)
                        return int.Parse(File.ReadLines(Path.Combine(cluster, "postmaster.pid")).First());
                }
                catch (NpgsqlException) { } // still starting
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("esd's store did not come up");
    }

    private static bool Alive(int pid) => Directory.Exists($"/proc/{pid}");
}
