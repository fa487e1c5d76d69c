namespace EventSourcedDisclosure.Benchmarks;

/// <summary>
/// The server is measured as ops/postgresql.conf configures a deployment (memory, WAL,
/// checkpoints, durability), not with PostgreSQL's defaults for a laptop (128 MB of shared
/// buffers, a checkpoint every gigabyte of WAL): figures should say what production would see.
/// </summary>
public static class ServerSettings
{
    // What a throwaway local cluster cannot or should not take from the deployment's file.
    private static readonly HashSet<string> Skipped =
        ["listen_addresses", "max_connections", "archive_mode", "archive_command", "archive_timeout", "max_wal_senders"];

    public static bool Statements { get; set; }

    public static IReadOnlyDictionary<string, string> FromOps()
    {
        var settings = new Dictionary<string, string>();
        foreach (var line in File.ReadLines(OpsFile()))
        {
            var text = line.Split('#')[0].Trim();
            if (text.Length == 0) continue;
            var (name, value) = (text[..text.IndexOf('=')].Trim(), text[(text.IndexOf('=') + 1)..].Trim().Trim('\''));
            if (!Skipped.Contains(name)) settings[name] = value;
        }
        // The file sizes shared buffers for a 16 GB database server; on a smaller machine a quarter of its memory.
        var quarter = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4 / 1024 / 1024;
        if (settings.TryGetValue("shared_buffers", out var buffers) && buffers.EndsWith("GB") && long.Parse(buffers[..^2]) * 1024 > quarter)
            settings["shared_buffers"] = $"{quarter}MB";
        // --statements: PostgreSQL counts each statement's time, functions' statements included (profiling by hand).
        if (Statements)
        {
            settings["shared_preload_libraries"] = "pg_stat_statements";
            settings["pg_stat_statements.track"] = "all";
            settings["pg_stat_statements.track_planning"] = "on";
        }
        return settings;
    }

    private static string OpsFile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ops", "postgresql.conf"))) return Path.Combine(dir.FullName, "ops", "postgresql.conf");
        throw new FileNotFoundException("ops/postgresql.conf not found above " + AppContext.BaseDirectory);
    }
}
