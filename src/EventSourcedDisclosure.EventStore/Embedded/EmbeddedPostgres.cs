using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Npgsql;

namespace EventSourcedDisclosure.EventStore.Embedded;

public sealed record EmbeddedPostgresOptions(string DataDirectory, string Database = "disclosure")
{
    /// <summary>fsync and synchronous commit; off only for throwaway test clusters.</summary>
    public bool Durable { get; init; } = true;

    /// <summary>More server settings (name → value), passed as <c>-c name=value</c> at start.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// A private PostgreSQL cluster from the machine's binaries, listening only on a unix socket in
/// a short temporary folder (socket paths are limited to 107 bytes). The data folder persists.
/// Recipe and traps: ../shared/notes/embedded-postgres.md.
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    private const int Port = 5432;
    private readonly string _bin;
    private readonly string _data;
    private readonly string _socketDir;
    private int _stopped;

    private EmbeddedPostgres(string bin, string data, string socketDir, string database)
    {
        _bin = bin;
        _data = data;
        _socketDir = socketDir;
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = socketDir, Port = Port, Username = "postgres", Database = database,
            MaxPoolSize = 200,
        }.ConnectionString;
    }

    public string ConnectionString { get; }
    public string DataDirectory => _data;

    /// <summary>
    /// The connection string of a cluster already running on this data folder — the API's, while
    /// it runs — read from postmaster.pid (pid, data folder, start time, port, socket folder).
    /// Operator commands attach to it instead of starting (or stopping) a second postmaster.
    /// </summary>
    public static string? RunningOn(string dataDirectory, string database)
    {
        var pidFile = Path.Combine(Path.GetFullPath(dataDirectory), "postmaster.pid");
        string[] lines;
        try { lines = File.ReadAllLines(pidFile); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        // A postmaster still starting writes the file in steps: its socket line may be empty yet.
        if (lines.Length < 5 || !int.TryParse(lines[0], out var pid) || !ProcessRunner.IsAlive(pid) || !int.TryParse(lines[3], out var port)
            || string.IsNullOrWhiteSpace(lines[4]))
            return null;
        return new NpgsqlConnectionStringBuilder { Host = lines[4], Port = port, Username = "postgres", Database = database }.ConnectionString;
    }

    public static async Task<EmbeddedPostgres> StartAsync(EmbeddedPostgresOptions options, CancellationToken ct = default)
    {
        var bin = PostgresBinaries.Find() ?? throw new EmbeddedPostgresUnavailableException(
            "PostgreSQL binaries (initdb, pg_ctl, postgres) were not found on PATH or in /usr/lib/postgresql/*/bin: " +
            "install the Debian package 'postgresql' (apt-get install postgresql), or configure ConnectionStrings:Disclosure.");
        var data = Path.GetFullPath(options.DataDirectory);
        RemoveDeadSocketFolders();
        var socketDir = Path.Combine("/tmp", $"{SocketPrefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(socketDir);
        Directory.CreateDirectory(data);
        await GiveToPostgresUserAsync(socketDir);
        await GiveToPostgresUserAsync(data);

        var cluster = new EmbeddedPostgres(bin, data, socketDir, options.Database);
        try
        {
            if (!File.Exists(Path.Combine(data, "PG_VERSION"))) await cluster.InitDbAsync();
            await cluster.StopLeftoverAsync();
            await cluster.StartServerAsync(options.Durable, options.Settings);
            await cluster.CreateDatabaseAsync(options.Database, ct);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.StopAsync().GetAwaiter().GetResult();
        Started[cluster] = 0;
        return cluster;
    }

    private static readonly ConcurrentDictionary<EmbeddedPostgres, byte> Started = new();

    /// <summary>
    /// For a console program without a host (`esd`, the benchmark): on SIGTERM, SIGINT or SIGHUP,
    /// stop the clusters this process started (immediate: whatever transaction was open is rolled
    /// back, as a crash would), then let the signal end the process. Since .NET 10 the runtime no
    /// longer raises ProcessExit on SIGTERM, so a killed `esd` left its cluster running. The API
    /// does not call this: its host turns SIGTERM into a graceful stop that disposes the cluster.
    /// </summary>
    public static IDisposable StopOnTermination() => new Registrations(
        [.. new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP }.Select(signal => PosixSignalRegistration.Create(signal, _ =>
        {
            foreach (var cluster in Started.Keys) cluster.StopAsync(immediate: true).GetAwaiter().GetResult();
        }))]);

    private sealed class Registrations(IReadOnlyList<IDisposable> all) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in all) registration.Dispose();
        }
    }

    private const string SocketPrefix = "esd-";

    /// <summary>
    /// Socket folders of processes that died without stopping their cluster (killed, or a test
    /// host ended before its exit handlers ran): a day's test runs left hundreds in /tmp. Only an
    /// empty one goes: a server still running keeps its socket there until it is stopped.
    /// </summary>
    private static void RemoveDeadSocketFolders()
    {
        foreach (var dir in Directory.GetDirectories("/tmp", SocketPrefix + "*"))
        {
            if (!OwnedByDeadProcess(dir, SocketPrefix)) continue;
            try
            {
                if (!Directory.EnumerateFileSystemEntries(dir).Any()) Directory.Delete(dir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // another process's cleanup got there first
        }
    }

    private static async Task GiveToPostgresUserAsync(string dir)
    {
        if (!ProcessRunner.IsRoot) return;
        await ProcessRunner.RunPlainAsync("chown", "-R", "postgres:postgres", dir);
        await ProcessRunner.RunPlainAsync("chmod", "700", dir);
        var (code, _) = await ProcessRunner.RunAsync("/usr/bin/test", "-w", dir);
        if (code != 0)
            throw new EmbeddedPostgresUnavailableException(
                $"The postgres user cannot reach {dir}: a parent folder is closed to other users. " +
                "Choose a data folder it can reach (Database:DataDirectory or DISCLOSURE_DATA_DIR).");
    }

    private async Task InitDbAsync()
    {
        var (code, output) = await ProcessRunner.RunAsync(Path.Combine(_bin, "initdb"),
            "-D", _data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8",
            "--no-sync", "--no-instructions");
        if (code != 0) throw new InvalidOperationException($"initdb failed:\n{output}");
    }

    // A process killed without stopping its cluster leaves the postmaster running on this folder.
    private async Task StopLeftoverAsync()
    {
        var (status, _) = await ProcessRunner.RunAsync(PgCtl, "-D", _data, "status");
        if (status == 0) await ProcessRunner.RunAsync(PgCtl, "-D", _data, "-m", "fast", "-w", "stop");
    }

    private async Task StartServerAsync(bool durable, IReadOnlyDictionary<string, string> more)
    {
        var settings = $"-k {_socketDir} -c listen_addresses='' -p {Port} -c max_connections=300";
        if (!durable) settings += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        foreach (var (name, value) in more) settings += $" -c {name}={value}";
        var log = Path.Combine(_data, "server.log");
        var (code, output) = await ProcessRunner.RunAsync(ServerEnvironment(Environment.GetEnvironmentVariable),
            PgCtl, "-D", _data, "-l", log, "-w", "-t", "60", "-o", settings, "start");
        if (code != 0)
            throw new InvalidOperationException($"PostgreSQL did not start:\n{output}\n{Tail(log)}");
    }

    /// <summary>
    /// glibc's allocator, tuned for the server: by default it gives freed memory back to the
    /// system whenever more than 128 KB is free at the top of a backend's heap, and a backend
    /// that frees and allocates again (a COPY, batch after batch) then shrinks and regrows its
    /// heap hundreds of times a second, each shrink a TLB flush on every core and each regrowth
    /// page faults: a fifth of a catalogue rebuild's COPY backend (docs/performance.md). These are
    /// thresholds glibc moves to by itself once a backend frees a 16 MB block, set from the
    /// start; a backend keeps at most 32 MB of freed memory instead of 128 KB. An operator's own
    /// GLIBC_TUNABLES is left as it is. Other C libraries ignore the variable.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ServerEnvironment(Func<string, string?> variable) =>
        variable(TunablesVariable) is not null
            ? new Dictionary<string, string>()
            : new Dictionary<string, string> { [TunablesVariable] = AllocatorTunables };

    public const string TunablesVariable = "GLIBC_TUNABLES";
    public const string AllocatorTunables = "glibc.malloc.trim_threshold=33554432:glibc.malloc.mmap_threshold=16777216";

    private async Task CreateDatabaseAsync(string database, CancellationToken ct)
    {
        var admin = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", connection);
        exists.Parameters.Add(new() { Value = database });
        if (await exists.ExecuteScalarAsync(ct) is null)
        {
            await using var create = new NpgsqlCommand($"create database \"{database.Replace("\"", "")}\"", connection);
            await create.ExecuteNonQueryAsync(ct);
        }
    }

    private string PgCtl => Path.Combine(_bin, "pg_ctl");

    private static string Tail(string file) =>
        File.Exists(file) ? string.Join('\n', File.ReadLines(file).TakeLast(20)) : "";

    public async Task StopAsync(bool immediate = false)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        Started.TryRemove(this, out _);
        NpgsqlConnection.ClearAllPools();
        await ProcessRunner.RunAsync(PgCtl, "-D", _data, "-m", immediate ? "immediate" : "fast", "-w", "stop");
        try { Directory.Delete(_socketDir, true); } catch (IOException) { }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    /// <summary>
    /// Whether PostgreSQL itself accepts a configuration file: every name known and every value
    /// valid (`postgres -C` loads the file and stops at the first error). Null when it does, else
    /// the server's complaint. Runs on a scratch cluster of its own.
    /// </summary>
    public static async Task<string?> CheckConfigurationFileAsync(string file)
    {
        var bin = PostgresBinaries.Find() ?? throw new EmbeddedPostgresUnavailableException("PostgreSQL binaries were not found.");
        var root = Path.Combine("/tmp", $"esd-conf-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(root);
        try
        {
            var conf = Path.Combine(root, "postgresql.conf");
            File.Copy(file, conf);
            await GiveToPostgresUserAsync(root);
            var data = Path.Combine(root, "data");
            var (init, initOutput) = await ProcessRunner.RunAsync(Path.Combine(bin, "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "--no-instructions");
            if (init != 0) throw new InvalidOperationException($"initdb failed:\n{initOutput}");
            var (code, output) = await ProcessRunner.RunAsync(Path.Combine(bin, "postgres"), "-D", data, "-c", $"config_file={conf}", "-C", "max_connections");
            return code == 0 ? null : output;
        }
        finally
        {
            try { Directory.Delete(root, true); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    /// <summary>
    /// A physical base backup of the running cluster with the WAL it needs (ops/backup.md):
    /// pg_basebackup -D target -X stream -c fast. Starting a cluster on the folder restores it.
    /// </summary>
    public async Task BaseBackupAsync(string target)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(target))!;
        Directory.CreateDirectory(parent);
        await GiveToPostgresUserAsync(parent);
        var (code, output) = await ProcessRunner.RunAsync(Path.Combine(_bin, "pg_basebackup"),
            "-h", _socketDir, "-p", Port.ToString(), "-U", "postgres", "-D", Path.GetFullPath(target), "-X", "stream", "-c", "fast");
        if (code != 0) throw new InvalidOperationException($"pg_basebackup failed:\n{output}");
    }

    // A temporary folder is named {prefix}{pid}-{id} after the process that made it.
    private static bool OwnedByDeadProcess(string dir, string prefix)
    {
        var owner = Path.GetFileName(dir)[prefix.Length..].Split('-');
        return owner.Length == 2 && int.TryParse(owner[0], out var pid) && !ProcessRunner.IsAlive(pid);
    }

    /// <summary>Stops and deletes temporary clusters whose owning process has died.</summary>
    public static async Task CleanUpOrphansAsync(string prefix)
    {
        foreach (var dir in Directory.GetDirectories("/tmp", prefix + "*"))
        {
            if (!OwnedByDeadProcess(dir, prefix)) continue;
            var bin = PostgresBinaries.Find();
            var data = Path.Combine(dir, "data");
            if (bin is not null && Directory.Exists(data))
                await ProcessRunner.RunAsync(Path.Combine(bin, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop");
            try { Directory.Delete(dir, true); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }
}
