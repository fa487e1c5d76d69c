using EventSourcedDisclosure.Api.Tests.Infrastructure;
using EventSourcedDisclosure.EventStore.Projections;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EventSourcedDisclosure.Api.Tests.Items;

/// <summary>
/// Random command sequences over HTTP, allowed or not: after every step the public catalogue
/// holds only proactive items whose published revision passed a secrecy review. Then the
/// inline read models are rebuilt from the log and must equal the live ones.
/// </summary>
public sealed class CatalogueInvariantTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const int Sequences = 200;
    private const int StepsPerSequence = 10;

    [Fact]
    public async Task Random_command_sequences_never_put_an_unreviewed_or_non_proactive_item_in_the_catalogue()
    {
        // A failure prints its seed; FUZZ_SEED replays it.
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), out var fixedSeed) ? fixedSeed : Environment.TickCount;
        var random = new Random(seed);
        var steps = new ItemSteps(api, "fuzz");
        await steps.RegisterAgencyAsync();
        var clients = new[] { steps.Drafter, steps.Reviewer, steps.Leader };

        for (var sequence = 0; sequence < Sequences; sequence++)
        {
            var id = await steps.DraftAsync(ItemSteps.Draft(title: $"随机序列 {sequence}"));
            foreach (var prefixStep in HappyPath.Take(random.Next(HappyPath.Length + 1))) await prefixStep(steps, id);
            (await ViolationsAsync()).ShouldBeEmpty($"seed {seed}, sequence {sequence}, after its prefix");
            for (var step = 0; step < StepsPerSequence; step++)
            {
                var (name, body) = RandomCommand(random);
                var response = await steps.PostAsync(clients[random.Next(clients.Length)], id, name, body);
                ((int)response.StatusCode).ShouldBeOneOf([200, 400, 409], $"seed {seed}: {name} → {await response.Content.ReadAsStringAsync()}");
                var violations = await ViolationsAsync();
                violations.ShouldBeEmpty($"seed {seed}, sequence {sequence}, step {step}: {name}: {string.Join("; ", violations)}");
            }
        }

        (await CountAsync("select count(*) from disclosure.catalogue_entries where tenant_id = 'fuzz' and valid_to is null"))
            .ShouldBeGreaterThan(0, $"seed {seed}: the sequences published nothing: the test would prove nothing");

        // A projection rebuilt from the log equals the live one.
        var admin = api.Services.GetRequiredService<ProjectionAdmin>();
        foreach (var (projection, tables) in new[] { ("catalogue", new[] { "catalogue_entries", "catalogue_counts" }), ("items", ["items"]) })
        {
            var live = await Task.WhenAll(tables.Select(t => api.DumpAsync(t)));
            await admin.RebuildAsync(projection);
            (await Task.WhenAll(tables.Select(t => api.DumpAsync(t)))).ShouldBe(live, $"{projection} after a rebuild");
        }
    }

    // Random steps alone rarely line up attribute → review → publication by the right roles:
    // 3 to 11 of 200 items ended in the catalogue over twelve seeds, and CI once saw none.
    // A random-length prefix of the happy path publishes a quarter of them before the random
    // steps start (65 to 76 ended there), so published items meet revisions, declassifications
    // and repeals far more often.
    private static readonly Func<ItemSteps, Guid, Task>[] HappyPath =
        [(s, id) => s.AttributeAsync(id), (s, id) => s.ReviewAsync(id), (s, id) => s.PublishAsync(id)];

    private static (string, object) RandomCommand(Random r)
    {
        string[] disclosures = ["proactive", "proactive", "onRequest", "withheld"];
        var date = new DateOnly(2025, 3, 3).AddDays(r.Next(0, 60)).ToString("yyyy-MM-dd");
        return r.Next(9) switch
        {
            0 => ("attribute", new { disclosure = disclosures[r.Next(disclosures.Length)], reason = r.Next(2) == 0 ? "stateSecret" : null,
                basis = r.Next(2) == 0 ? "条例第十四条" : null, important = r.Next(3) == 0 }),
            1 or 2 => ("review", new { outcome = r.Next(4) == 0 ? "rejected" : "cleared", opinion = "审查意见" }),
            3 => ("approval", new { outcome = r.Next(4) == 0 ? "rejected" : "approved", opinion = "审批意见" }),
            4 or 5 => ("publication", new { publishedOn = date, channels = new[] { "website", "wechat", "weibo" }.Take(r.Next(0, 3)).ToArray() }),
            6 => ("declassification", new { declassifiedOn = date, disclosure = r.Next(2) == 0 ? "proactive" : "onRequest", basis = "保密期限届满" }),
            7 => ("revision", new { revisedOn = date, title = $"修订 {r.Next(100)}", reason = "更正" }),
            _ => ("repeal", new { repealedOn = date, reason = "废止" }),
        };
    }

    // Current catalogue rows whose item is not proactive now, or whose published revision has no cleared review.
    private async Task<List<string>> ViolationsAsync()
    {
        await using var connection = new NpgsqlConnection(api.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            select c.title || ' (' || coalesce(i.disclosure, 'none') || ', revision ' || c.revision || '): ' || (i.state->'trail')::text
              from disclosure.catalogue_entries c
              join disclosure.items i on i.tenant_id = c.tenant_id and i.id = c.item_id
             where c.valid_to is null
               and (i.disclosure is distinct from 'proactive'
                    or not exists (select 1 from jsonb_array_elements(i.state->'trail') t
                                    where t->>'step' = 'review' and t->>'outcome' = 'cleared'
                                      and (t->>'revision')::int = c.revision))
            union all
            -- The kept totals (a city page's count) agree with the entries they count.
            select 'catalogue_counts ' || tenant_id || '/' || region || ': ' || coalesce(k.current, 0) || ' kept, ' || coalesce(e.n, 0) || ' current'
              from (select tenant_id, region, count(*) as n from disclosure.catalogue_entries where valid_to is null group by tenant_id, region) e
              full join disclosure.catalogue_counts k using (tenant_id, region)
             where coalesce(e.n, 0) <> coalesce(k.current, 0)
            """, connection);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(api.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
