using System.Net;
using System.Text.Json.Nodes;

namespace EventSourcedDisclosure.Api.Tests.Infrastructure;

public sealed class RequestSteps(ApiFactory api, string agency)
{
    public HttpClient Clerk { get; } = api.ClientAs("clerk");
    public string Requests => $"/api/v1/agencies/{agency}/requests";

    public async Task RegisterAgencyAsync() =>
        ((int)(await Clerk.SendJsonAsync(HttpMethod.Put, $"/api/v1/agencies/{agency}",
            new { name = $"{agency}局", region = "130525", indexPrefix = agency })).StatusCode).ShouldBeLessThan(300);

    public static object Applicant(string name = "张三", string? idNumber = "11010519491231002X") =>
        new { type = "naturalPerson", name, idNumber, phone = "13800138000", address = "河北省隆尧县某街1号", email = "zhangsan@example.cn" };

    public static object Receive(string receivedOn, string channel = "online", object? applicant = null) =>
        new { receivedOn, channel, applicant = applicant ?? Applicant(), description = "申请公开2024年度教育经费决算明细", purpose = "研究" };

    public async Task<JsonNode> ReceiveAsync(string receivedOn, object? applicant = null)
    {
        var response = await Clerk.SendJsonAsync(HttpMethod.Post, Requests, Receive(receivedOn, applicant: applicant));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.BodyAsync();
    }

    public Task<HttpResponseMessage> PostAsync(Guid id, string step, object body) =>
        Clerk.SendJsonAsync(HttpMethod.Post, $"{Requests}/{id}/{step}", body);

    public async Task<JsonNode> OkAsync(Guid id, string step, object body)
    {
        var response = await PostAsync(id, step, body);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{step}: {await response.Content.ReadAsStringAsync()}");
        return await response.BodyAsync();
    }

    public static Guid IdOf(JsonNode node) => Guid.Parse(node["id"]!.GetValue<string>());
}
