using System.Net;
using System.Net.Http.Headers;
using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
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

    [Fact]
    public async Task An_unsigned_token_with_alg_none_is_401()
    {
        static string Part(string json) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var token = $"{Part("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{Part($"{{\"sub\":\"mallory\",\"iss\":\"disclosure\",\"aud\":\"disclosure-api\",\"exp\":{exp},\"roles\":[\"*:admin\"]}}")}.";
        var client = api.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await client.SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/unsigned", Agency)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await api.ReadAsync("unsigned")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Staff_of_one_agency_get_403_on_another_and_404_for_its_ids_under_their_own()
    {
        var b = new ItemSteps(api, "agency-b");
        await b.RegisterAgencyAsync();
        await new ItemSteps(api, "agency-a").RegisterAgencyAsync();
        var itemOfB = await b.DraftAsync();
        var staffOfA = api.ClientAs("clerk-a", "agency-a:drafter", "agency-a:reviewer");
        await (await staffOfA.GetAsync($"/api/v1/agencies/agency-b/items/{itemOfB}")).ShouldBeProblemAsync(403);
        await (await staffOfA.GetAsync($"/api/v1/agencies/agency-a/items/{itemOfB}")).ShouldBeProblemAsync(404);
        var review = await staffOfA.SendJsonAsync(HttpMethod.Post, $"/api/v1/agencies/agency-b/items/{itemOfB}/review", new { outcome = "cleared", opinion = "x" });
        await review.ShouldBeProblemAsync(403);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/swagger/v1/swagger.json")]
    [InlineData("/swagger/index.html")]
    public async Task Public_endpoints_answer_without_a_token(string path) =>
        (await api.Anonymous().GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.OK);

    [Fact]
    public async Task A_token_is_validated_once_and_its_later_requests_answered_from_the_cache()
    {
        var cache = api.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>()
            .Get(JwtBearerDefaults.AuthenticationScheme).TokenHandlers.OfType<ValidatedTokenCache>().Single();
        var before = cache.Count;
        var clerk = api.ClientAs($"clerk-{Guid.NewGuid():N}", "*:admin");
        (await clerk.SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/cached-token", Agency)).StatusCode.ShouldBe(HttpStatusCode.Created);
        cache.Count.ShouldBe(before + 1);
        (await clerk.GetAsync("/api/v1/agencies/cached-token")).StatusCode.ShouldBe(HttpStatusCode.OK);
        cache.Count.ShouldBe(before + 1);
    }

    [Fact]
    public async Task The_OpenAPI_document_declares_the_bearer_scheme_and_the_agency_paths()
    {
        var doc = await (await api.Anonymous().GetAsync("/swagger/v1/swagger.json")).BodyAsync();
        doc["components"]!["securitySchemes"]!.AsObject().Count.ShouldBeGreaterThan(0);
        doc["paths"]!.AsObject().Select(p => p.Key).ShouldContain("/api/v1/agencies/{agency}");
    }
}
