using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace EventSourcedDisclosure.Benchmarks;

/// <summary>
/// The API's own running totals, from its /health/ready: its writers' time inside transactions,
/// what its runtime allocated and how long the collector held it still. Read at a slice's two
/// ends they cost the API nothing in between. (An EventPipe session with the runtime's verbose GC
/// events, which this replaces, cost the API about a tenth of its CPU per command and the clients,
/// who parsed the events, a tenth of theirs: the measurement weighed on what it measured.)
/// </summary>
public sealed record ApiTotals(double WritersBusySeconds, long AllocatedBytes, double GcPauseSeconds, int Collections)
{
    public static readonly ApiTotals Zero = new(0, 0, 0, 0);

    public static ApiTotals operator -(ApiTotals a, ApiTotals b) =>
        new(a.WritersBusySeconds - b.WritersBusySeconds, a.AllocatedBytes - b.AllocatedBytes, a.GcPauseSeconds - b.GcPauseSeconds, a.Collections - b.Collections);

    public static ApiTotals operator +(ApiTotals a, ApiTotals b) =>
        new(a.WritersBusySeconds + b.WritersBusySeconds, a.AllocatedBytes + b.AllocatedBytes, a.GcPauseSeconds + b.GcPauseSeconds, a.Collections + b.Collections);

    public static async Task<ApiTotals> ReadAsync(EventSourcedDisclosure.Testing.ApiProcess api, string token)
    {
        using var client = api.Client(token);
        var ready = (await client.GetFromJsonAsync<JsonObject>("/health/ready"))!;
        var (commands, runtime) = (ready["commands"]!, ready["runtime"]!);
        return new(commands["writersBusySeconds"]!.GetValue<double>(), runtime["allocatedBytes"]!.GetValue<long>(),
            runtime["gcPauseSeconds"]!.GetValue<double>(), runtime["collections"]!.GetValue<int>());
    }

    public string DescribeCollections(double seconds) => Collections == 0
        ? "no collection"
        : $"{Collections} collections in {seconds:0} s, {GcPauseSeconds * 1000 / Collections:0.0} ms each on average";
}
