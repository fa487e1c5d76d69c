using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventSourcedDisclosure.Api.Tests.Infrastructure;

public static class HttpExtensions
{
    public static async Task<JsonNode> BodyAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("Empty body.");

    public static Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string path, object body,
        IDictionary<string, string>? headers = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            request.Headers.TryAddWithoutValidation(name, value);
        return client.SendAsync(request);
    }

    public static string? ETag(this HttpResponseMessage response) => response.Headers.ETag?.Tag;

    public static async Task ShouldBeProblemAsync(this HttpResponseMessage response, int status, string? typeEndsWith = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(status, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", text);
        var problem = JsonDocument.Parse(text).RootElement;
        problem.GetProperty("status").GetInt32().ShouldBe(status);
        if (typeEndsWith is not null) problem.GetProperty("type").GetString().ShouldEndWith(typeEndsWith, customMessage: text);
    }
}
