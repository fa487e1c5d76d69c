using EventSourcedDisclosure.Api.Calendar;
using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.Domain.Agencies;
using EventSourcedDisclosure.Domain.Appeals;
using EventSourcedDisclosure.Domain.Calendar;
using EventSourcedDisclosure.Domain.Items;
using EventSourcedDisclosure.Domain.Requests;
using EventSourcedDisclosure.EventStore;

namespace EventSourcedDisclosure.Api.Demo;

/// <summary>What a seeding wrote.</summary>
public sealed record DemoSummary(int Year, IReadOnlyList<string> Agencies, int Items, int Requests, long Events);

/// <summary>
/// A realistic year of disclosure work for a county's agencies (隆尧县, 130525), every step
/// decided by the same deciders the API uses, with business dates spread over the year:
/// items of every genre cleared, approved, published, repealed and declassified; requests
/// answered with every outcome, with corrections, consultations, extensions, fees and appeals;
/// some left open at the year's end. The same seed always gives the same year.
/// </summary>
public sealed class DemoSeeder(EventStore.EventStore store, CalendarProvider calendars, TimeProvider clock)
{
    public const string Region = "130525";

    public static readonly IReadOnlyList<(string Code, string Name, string Prefix, string Short)> Agencies =
    [
        ("lyxjyj", "隆尧县教育局", "lyxjyj", "隆教"),
        ("lyxwjj", "隆尧县卫生健康局", "lyxwjj", "隆卫"),
        ("lyxzfb", "隆尧县人民政府办公室", "lyxzfb", "隆政办"),
    ];

    public const int ItemsPerAgency = 120, RequestsPerAgency = 40;

    /// <summary>Steps a default seeding reports: one per item and per request.</summary>
    public static int DefaultSteps => Agencies.Count * (ItemsPerAgency + RequestsPerAgency);

    /// <summary>Whether the store holds no event yet: the embedded default seeds only then.</summary>
    public async Task<bool> StoreIsEmptyAsync(CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand($"select not exists (select 1 from {store.Options.Schema}.events)");
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <param name="progress">Steps done and the total, for a progress bar.</param>
    public async Task<DemoSummary> SeedAsync(int itemsPerAgency = ItemsPerAgency, int requestsPerAgency = RequestsPerAgency, IProgress<(int Done, int Total)>? progress = null,
        CancellationToken ct = default)
    {
        var today = clock.Today();
        var year = today.Year - 1; // the last full year: the one whose report is written now
        var calendar = await calendars.RefreshAsync(store, ct);
        var streams = new DemoStreams(store, ct);
        var total = Agencies.Count * (itemsPerAgency + requestsPerAgency);
        var done = 0;
        int items = 0, requests = 0;
        foreach (var (code, name, prefix, shortName) in Agencies)
        {
            var random = new Random(HashCode(code));
            await streams.RunAsync(code, AgencyDecider.StreamId(code), "agency", Agency.Initial, AgencyDecider.Evolve,
                a => AgencyDecider.Decide(new RegisterAgency(code, name, Region, prefix, null, null, clock.GetUtcNow()), a), "demo-admin");
            var context = new AgencyContext(code, name, prefix, AgencyDecider.DefaultIndexTemplate,
                AgencyDecider.DefaultCategories.Select(c => c.Code).ToList());
            var work = new DemoWork(streams, calendar, context, shortName, year, today, random);
            var published = new List<Guid>();
            for (var i = 0; i < itemsPerAgency; i++)
            {
                if (await work.ItemAsync(i) is { } id) published.Add(id);
                items++;
                progress?.Report((++done, total));
            }
            for (var i = 0; i < requestsPerAgency; i++)
            {
                await work.RequestAsync(i, published);
                requests++;
                progress?.Report((++done, total));
            }
        }
        return new DemoSummary(year, Agencies.Select(a => a.Code).ToList(), items, requests, streams.Appended);
    }

    // string.GetHashCode is randomised per process; the demo must be the same every time.
    private static int HashCode(string s) => s.Aggregate(17, (h, c) => unchecked(h * 31 + c));
}
