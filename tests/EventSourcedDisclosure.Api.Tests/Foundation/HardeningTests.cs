using System.Net;
using System.Text;
using EventSourcedDisclosure.Api.Tests.Infrastructure;

namespace EventSourcedDisclosure.Api.Tests.Foundation;

public sealed class HardeningTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Api_answers_carry_security_headers_and_are_not_cached()
    {
        var response = await api.ClientAs("clerk").GetAsync("/api/v1/agencies");
        response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        response.Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY");
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("default-src 'none'");
    }

    [Fact]
    public async Task Cross_origin_requests_get_no_permission_unless_origins_are_configured()
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/catalogue");
        request.Headers.Add("Origin", "https://evil.example");
        request.Headers.Add("Access-Control-Request-Method", "GET");
        var response = await api.Anonymous().SendAsync(request);
        response.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    [Fact]
    public async Task Deeply_nested_json_is_400_not_a_stack_dive()
    {
        var deep = new string('[', 200) + new string(']', 200);
        var json = $"{{\"name\":\"x\",\"region\":\"130525\",\"indexPrefix\":\"x\",\"categories\":{deep}}}";
        var response = await api.ClientAs("admin").PutAsync("/api/v1/agencies/deep", new StringContent(json, Encoding.UTF8, "application/json"));
        await response.ShouldBeProblemAsync(400);
    }

    [Fact]
    public async Task Other_content_types_are_415()
    {
        var response = await api.ClientAs("admin").PutAsync("/api/v1/agencies/xml", new StringContent("<agency/>", Encoding.UTF8, "application/xml"));
        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
    }
}
