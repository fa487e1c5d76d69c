using System.CommandLine;
using EventSourcedDisclosure.EventStore.Integrity;

namespace EventSourcedDisclosure.Cli.Commands;

/// <summary>`esd audit verify --agency A` (also `esd verify`): recompute an agency's hash chain.</summary>
public static class AuditCommand
{
    public static Command Create(TextWriter output) => new("audit", "The records office's checks") { Verify(output, "verify") };

    public static Command Verify(TextWriter output, string name)
    {
        var agency = new Option<string>("--agency") { Description = "The agency (tenant) whose chain to recompute", Required = true };
        var verify = new Command(name, "Recompute an agency's hash chain; exit 1 at the first broken event") { agency };
        verify.WithDatabase().SetAction((parsed, ct) => Cli.RunAsync(output, parsed, ct, async cli =>
        {
            var result = await new ChainVerifier(cli.Store).VerifyAsync(parsed.GetValue(agency)!, ct);
            await output.WriteLineAsync(result.Verified
                ? $"verified: {result.Events} events"
                : $"BROKEN at sequence {result.FirstBrokenSequence} (chain position {result.FirstBrokenPosition}): {result.Problem}");
            return result.Verified ? 0 : 1;
        }));
        return verify;
    }
}
