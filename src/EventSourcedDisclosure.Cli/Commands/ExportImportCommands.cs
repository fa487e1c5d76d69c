using System.CommandLine;
using EventSourcedDisclosure.EventStore.Integrity;
using EventSourcedDisclosure.EventStore.Privacy;
using Npgsql;

namespace EventSourcedDisclosure.Cli.Commands;

/// <summary>
/// `esd export` / `esd import`: the log as NDJSON (the records office's export format), and with
/// `--keys` the wrapped personal-data keys beside it, for a copy into another database of the same
/// deployment. Import goes into an empty store and keeps sequences, chain positions and hashes.
/// </summary>
public static class ExportImportCommands
{
    public static Command Export(TextWriter output)
    {
        var file = new Option<string>("--out") { Description = "The NDJSON file to write", Required = true };
        var agency = new Option<string?>("--agency") { Description = "Only this agency's events" };
        var keys = new Option<string?>("--keys") { Description = "Also write the wrapped personal-data keys to this file" };
        var command = new Command("export", "Write the event log (or an agency's) as NDJSON") { file, agency, keys };
        command.WithDatabase().SetAction((parsed, ct) => Cli.RunAsync(output, parsed, ct, async cli =>
        {
            var tenant = parsed.GetValue(agency);
            await using var count = cli.DataSource.CreateCommand(
                $"select count(*) from {cli.Store.Options.Schema}.events where $1::text is null or tenant_id = $1");
            count.Parameters.Add(new() { Value = (object?)tenant ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            var total = (long)(await count.ExecuteScalarAsync(ct))!;
            var path = Path.GetFullPath(parsed.GetValue(file)!);
            var written = await CliProgress.RunAsync(output, "export", total, async progress =>
            {
                await using var stream = File.Create(path);
                return await new LogExport(cli.Store).ExportAsync(stream, tenant, null, null, ct, progress);
            });
            await output.WriteLineAsync($"exported {written} events to {path}");
            if (parsed.GetValue(keys) is { } keyFile)
            {
                await using var stream = File.Create(keyFile);
                await output.WriteLineAsync($"exported {await new KeyExport(cli.Store).ExportAsync(stream, ct)} keys to {Path.GetFullPath(keyFile)}");
            }
            return 0;
        }));
        return command;
    }

    public static Command Import(TextWriter output)
    {
        var file = new Option<string>("--in") { Description = "An NDJSON export", Required = true };
        var keys = new Option<string?>("--keys") { Description = "The keys file written beside it by export --keys" };
        var command = new Command("import", "Load an NDJSON export into an empty store, then rebuild every projection") { file, keys };
        command.WithDatabase().SetAction((parsed, ct) => Cli.RunAsync(output, parsed, ct, async cli =>
        {
            var path = parsed.GetValue(file)!;
            if (!File.Exists(path)) throw new CliError($"No file {Path.GetFullPath(path)}.");
            // Read and checked before the events go in, then written in their transaction: keys that
            // cannot be read or opened here would otherwise fail after them.
            IReadOnlyList<ExportedKey>? exportedKeys = null;
            if (parsed.GetValue(keys) is { } keysFile)
            {
                if (!File.Exists(keysFile)) throw new CliError($"No file {Path.GetFullPath(keysFile)}.");
                if (cli.Store.Options.PersonalDataKey is null)
                    throw new CliError("--keys: no key-encryption key is configured here, and the keys open only under the deployment's " +
                                       "(PersonalData:KeyEncryptionKey or DISCLOSURE_PERSONAL_DATA_KEY, or --data-dir); nothing was imported.");
                await using var keyStream = File.OpenRead(keysFile);
                try { exportedKeys = await KeyExport.ReadAsync(keyStream, ct); }
                catch (InvalidDataException e) { throw new CliError($"--keys: {e.Message} Nothing was imported."); }
                if (!new KeyExport(cli.Store).OpenHere(exportedKeys))
                    throw new CliError("--keys: the keys were wrapped under another key-encryption key than the one configured here; nothing was " +
                                       "imported. Use the deployment's (PersonalData:KeyEncryptionKey or DISCLOSURE_PERSONAL_DATA_KEY, or its --data-dir).");
            }
            var total = File.ReadLines(path).LongCount(l => l.Length > 0);
            var imported = await CliProgress.RunAsync(output, "import", total, async progress =>
            {
                await using var stream = File.OpenRead(path);
                try { return await new LogExport(cli.Store).ImportAsync(stream, ct, progress, exportedKeys); }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
                {
                    // One transaction: the clash rolled back every event before it.
                    throw new CliError($"The store already holds events of this export ({e.ConstraintName}); nothing was imported. " +
                                       "Import into an empty store, or one without these agencies' events.");
                }
            });
            if (exportedKeys is not null) await output.WriteLineAsync($"imported {exportedKeys.Count} keys");
            // The load's commit asked for these rebuilds: if this process dies before they are done,
            // the store's next start (the API's, or any esd command's) does the rest.
            var admin = new EventStore.Projections.ProjectionAdmin(cli.Store);
            foreach (var p in cli.Store.Options.Projections)
                await CliProgress.RunAsync(output, $"rebuild {p.Projection.Name}", imported, async progress =>
                {
                    await admin.RebuildAsync(p.Projection.Name, progress, ct);
                    return 0;
                });
            await output.WriteLineAsync($"imported {imported} events; every projection rebuilt");
            return 0;
        }));
        return command;
    }
}
