using System.Diagnostics;
using EventSourcedDisclosure.EventStore.Embedded;

namespace EventSourcedDisclosure.EventStore.Tests;

/// <summary>
/// An embedded cluster's socket folder (/tmp/esd-{pid}-{id}) outlives a process killed before it
/// stopped the cluster. The next start clears such folders — only empty ones of dead processes.
/// </summary>
public sealed class SocketFolderTests
{
    [Fact]
    public async Task Starting_a_cluster_removes_the_empty_socket_folders_of_dead_processes_and_nothing_else()
    {
        var dead = await DeadProcessIdAsync();
        var deadEmpty = NewFolder($"esd-{dead}-{Id()}");
        var deadInUse = NewFolder($"esd-{dead}-{Id()}");
        await File.WriteAllTextAsync(Path.Combine(deadInUse, ".s.PGSQL.5432.lock"), "a server still running");
        var liveEmpty = NewFolder($"esd-{Environment.ProcessId}-{Id()}");
        var root = NewFolder($"esd-socket-folders-{Id()}"); // readable by the postgres user, as a temporary subdirectory is not
        try
        {
            await using var cluster = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(Path.Combine(root, "data"), "postgres") { Durable = false });

            Directory.Exists(deadEmpty).ShouldBeFalse();
            Directory.Exists(deadInUse).ShouldBeTrue();
            Directory.Exists(liveEmpty).ShouldBeTrue();
        }
        finally
        {
            foreach (var folder in new[] { deadEmpty, deadInUse, liveEmpty, root })
                if (Directory.Exists(folder)) Directory.Delete(folder, true);
        }
    }

    private static string Id() => Guid.NewGuid().ToString("N")[..8];

    private static string NewFolder(string name) => Directory.CreateDirectory(Path.Combine("/tmp", name)).FullName;

    private static async Task<int> DeadProcessIdAsync()
    {
        using var process = Process.Start("true")!;
        await process.WaitForExitAsync();
        return process.Id;
    }
}
