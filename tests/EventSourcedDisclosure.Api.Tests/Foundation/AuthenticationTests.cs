using System.Net;
using System.Net.Http.Headers;
using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.Api.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EventSourcedDisclosure.Api.Tests.Foundation;

public sealed class AuthenticationTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static object Agency => new { name = "某局", region = "130525", indexPrefix = "x" };

    [Fact]
    public async Task Commands_without_a_token_are_401_and_append_nothing()
    {
        var response = await api.Anonymous().SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/anon", Agency);
        await response.ShouldBeProblemAsync(401);
        (await api.ReadAsync("anon")).ShouldBeEmpty();
    }

    public static TheoryData<string> ForgedTokens => new()
    {
        "wrong-key", "wrong-audience", "wrong-issuer", "expired",
    };

    [Theory]
    [MemberData(nameof(ForgedTokens))]
    public async Task Tokens_the_host_did_not_issue_are_401(string forgery)
    {
        var key = forgery == "wrong-key" ? System.Security.Cryptography.RandomNumberGenerator.GetBytes(32) : ApiFactory.Key;
        var now = DateTime.UtcNow;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = forgery == "wrong-issuer" ? "someone-else" : AuthSetup.Issuer,
            Audience = forgery == "wrong-audience" ? "another-api" : AuthSetup.Audience,
            IssuedAt = forgery == "expired" ? now.AddHours(-3) : now,
            NotBefore = forgery == "expired" ? now.AddHours(-3) : now,
            Expires = forgery == "expired" ? now.AddHours(-2) : now.AddHours(1),
            Claims = new Dictionary<string, object> { ["sub"] = "mallory", ["roles"] = new[] { "*:admin" } },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });
        var client = api.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var response = await client.SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/forged", Agency);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await api.ReadAsync("forged")).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/swagger/v1/swagger.json")]
    [InlineData("/swagger/index.html")]
    public async Task Public_endpoints_answer_without_a_token(string path) =>
        (await api.Anonymous().GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.OK);

    [Fact]
    public async Task The_OpenAPI_document_declares_the_bearer_scheme_and_the_agency_paths()
    {
        var doc = await (await api.Anonymous().GetAsync("/swagger/v1/swagger.json")).BodyAsync();
        doc["components"]!["securitySchemes"]!.AsObject().Count.ShouldBeGreaterThan(0);
        doc["paths"]!.AsObject().Select(p => p.Key).ShouldContain("/api/v1/agencies/{agency}");
    }
}
