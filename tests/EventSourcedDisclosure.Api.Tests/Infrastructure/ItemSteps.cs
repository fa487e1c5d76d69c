using System.Net;
using System.Text.Json.Nodes;

namespace EventSourcedDisclosure.Api.Tests.Infrastructure;

/// <summary>The workflow as staff drive it over HTTP: a drafter, a reviewer, a leader and a publisher.</summary>
public sealed class ItemSteps(ApiFactory api, string agency)
{
    public HttpClient Drafter { get; } = api.ClientAs("drafter");
    public HttpClient Reviewer { get; } = api.ClientAs("reviewer");
    public HttpClient Leader { get; } = api.ClientAs("leader");
    public string Agency => agency;
    public string Items => $"/api/v1/agencies/{agency}/items";

    public async Task RegisterAgencyAsync(string region = "130525", string? prefix = null)
    {
        var response = await Drafter.SendJsonAsync(HttpMethod.Put, $"/api/v1/agencies/{agency}",
            new { name = $"{agency}局", region, indexPrefix = prefix ?? agency });
        ((int)response.StatusCode).ShouldBeLessThan(300, await response.Content.ReadAsStringAsync());
    }

    public static object Draft(string title = "2024年教育经费投入情况", string writtenOn = "2025-03-03", string category = "finance",
        string genre = "other", string? body = null, string summary = "全县教育经费投入统计") =>
        new { title, summary, body, documentNumber = "隆教〔2025〕3号", writtenOn, department = "计财股", category, genre, keywords = new[] { "教育经费" } };

    public async Task<Guid> DraftAsync(object? body = null)
    {
        var response = await Drafter.SendJsonAsync(HttpMethod.Post, Items, body ?? Draft());
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return Guid.Parse((await response.BodyAsync())["id"]!.GetValue<string>());
    }

    public Task<HttpResponseMessage> PostAsync(HttpClient client, Guid id, string step, object body) =>
        client.SendJsonAsync(HttpMethod.Post, $"{Items}/{id}/{step}", body);

    public async Task<JsonNode> OkAsync(HttpClient client, Guid id, string step, object body)
    {
        var response = await PostAsync(client, id, step, body);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{step}: {await response.Content.ReadAsStringAsync()}");
        return await response.BodyAsync();
    }

    public Task<JsonNode> AttributeAsync(Guid id, string disclosure = "proactive", bool important = false, string? reason = null, string? basis = null) =>
        OkAsync(Drafter, id, "attribute", new { disclosure, reason, basis, important });

    public Task<JsonNode> ReviewAsync(Guid id, string outcome = "cleared") =>
        OkAsync(Reviewer, id, "review", new { outcome, opinion = "经审查，不涉及国家秘密" });

    public Task<JsonNode> PublishAsync(Guid id, string publishedOn = "2025-03-05", params string[] channels) =>
        OkAsync(Drafter, id, "publication", new { publishedOn, channels = channels.Length > 0 ? channels : ["website"] });

    /// <summary>Drafted, proactive, reviewed and published: the index number it got.</summary>
    public async Task<(Guid Id, string IndexNumber)> PublishedItemAsync(object? draft = null, string publishedOn = "2025-03-05")
    {
        var id = await DraftAsync(draft);
        await AttributeAsync(id);
        await ReviewAsync(id);
        var published = await PublishAsync(id, publishedOn);
        return (id, published["indexNumber"]!.GetValue<string>());
    }

    public async Task<JsonNode> CatalogueAsync(string query)
    {
        var response = await api.Anonymous().GetAsync("/api/v1/catalogue?" + query);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.BodyAsync();
    }

    public static IEnumerable<string> Titles(JsonNode page) =>
        page["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>());
}
