namespace EventSourcedDisclosure.EventStore.Embedded;

/// <summary>Finds initdb, pg_ctl and postgres side by side: on PATH first, then Debian's layout.</summary>
public static class PostgresBinaries
{
    private static readonly string[] Required = ["initdb", "pg_ctl", "postgres"];

    /// <summary>Set to a folder to use only that folder (operators pin a version; tests prove the missing-binaries path).</summary>
    public const string OverrideVariable = "DISCLOSURE_PG_BIN";

    public static string? Find()
    {
        var pinned = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrWhiteSpace(pinned))
            return Required.All(b => File.Exists(Path.Combine(pinned, b))) ? pinned : null;
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "pg_ctl"))
            .Where(File.Exists)
            // /usr/local/bin/pg_ctl may be a link into the real bin folder, where postgres lives.
            .Select(p => Path.GetDirectoryName(new FileInfo(p).ResolveLinkTarget(true)?.FullName ?? p)!);
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin"))
            : [];
        return onPath.Concat(debian).FirstOrDefault(dir => Required.All(b => File.Exists(Path.Combine(dir, b))));
    }
}

/// <summary>The machine cannot run an embedded cluster; the message says what to do.</summary>
public sealed class EmbeddedPostgresUnavailableException(string message) : Exception(message);
