using EventSourcedDisclosure.EventStore.Embedded;

namespace EventSourcedDisclosure.EventStore.Tests;

/// <summary>
/// The embedded server starts with glibc's allocator thresholds raised (GLIBC_TUNABLES), so that
/// a backend stops giving its heap back and faulting it in again batch after batch; an
/// operator's own setting of the variable wins.
/// </summary>
public sealed class ServerAllocatorTests
{
    [Fact]
    public async Task The_embedded_server_runs_with_the_allocator_thresholds()
    {
        var root = Directory.CreateDirectory(Path.Combine("/tmp", $"esd-allocator-{Guid.NewGuid():N}"[..21])).FullName;
        try
        {
            await using var cluster = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(Path.Combine(root, "data"), "postgres") { Durable = false });
            var postmaster = int.Parse(File.ReadLines(Path.Combine(cluster.DataDirectory, "postmaster.pid")).First());

            var environment = (await File.ReadAllTextAsync($"/proc/{postmaster}/environ")).Split('\0');

            // glibc parses the variable in place, ending each tunable it read with a NUL.
            var tunables = EmbeddedPostgres.AllocatorTunables.Split(':');
            environment.ShouldContain($"{EmbeddedPostgres.TunablesVariable}={tunables[0]}");
            environment.ShouldContain(tunables[1]);
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public void An_operators_own_tunables_are_left_as_they_are()
    {
        var operators = new Dictionary<string, string> { [EmbeddedPostgres.TunablesVariable] = "glibc.malloc.arena_max=2" };

        EmbeddedPostgres.ServerEnvironment(name => operators.GetValueOrDefault(name)).ShouldBeEmpty();
        EmbeddedPostgres.ServerEnvironment(_ => null)[EmbeddedPostgres.TunablesVariable].ShouldBe(EmbeddedPostgres.AllocatorTunables);
    }
}
