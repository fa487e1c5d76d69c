using System.Security.Claims;
using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.Api.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EventSourcedDisclosure.Api.Tests.Foundation;

/// <summary>The cache in front of the JWT validator: it saves work, and never accepts more than the validator would.</summary>
public sealed class ValidatedTokenCacheTests
{
    private readonly CountingValidator _validator = new();
    private readonly MovableClock _clock = new();

    private static readonly TokenValidationParameters Parameters = new()
    {
        ValidIssuer = AuthSetup.Issuer,
        ValidAudience = AuthSetup.Audience,
        IssuerSigningKey = new SymmetricSecurityKey(ApiFactory.Key),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ClockSkew = TimeSpan.FromSeconds(30),
    };

    private ValidatedTokenCache Cache(int capacity = 4096) => new(_validator, _clock, capacity);

    private static string Token(string subject = "clerk", TimeSpan? lifetime = null) =>
        TokenIssuer.Mint(ApiFactory.Key, subject, subject, ["agency-a:drafter"], lifetime);

    [Fact]
    public async Task A_token_validated_once_is_answered_from_the_cache_with_its_claims()
    {
        var cache = Cache();
        var token = Token();
        var first = await cache.ValidateTokenAsync(token, Parameters);
        var second = await cache.ValidateTokenAsync(token, Parameters);

        first.IsValid.ShouldBeTrue();
        second.IsValid.ShouldBeTrue();
        _validator.Calls.ShouldBe(1);
        second.ClaimsIdentity.FindFirst("sub")!.Value.ShouldBe("clerk");
        second.ClaimsIdentity.FindAll("roles").Select(c => c.Value).ShouldBe(["agency-a:drafter"]);
        second.SecurityToken.ValidTo.ShouldBe(first.SecurityToken.ValidTo);
    }

    [Fact]
    public async Task A_token_past_its_expiry_goes_back_to_the_validator()
    {
        var cache = Cache();
        var token = Token(lifetime: TimeSpan.FromMinutes(2));
        await cache.ValidateTokenAsync(token, Parameters);

        _clock.Offset = TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1);
        await cache.ValidateTokenAsync(token, Parameters);
        _validator.Calls.ShouldBe(2);
    }

    [Fact]
    public async Task A_long_lived_token_is_validated_again_after_the_cache_s_maximum_age()
    {
        var cache = Cache();
        var token = Token(lifetime: TimeSpan.FromHours(8));
        await cache.ValidateTokenAsync(token, Parameters);

        _clock.Offset = ValidatedTokenCache.MaxAge - TimeSpan.FromSeconds(1);
        await cache.ValidateTokenAsync(token, Parameters);
        _validator.Calls.ShouldBe(1);

        _clock.Offset = ValidatedTokenCache.MaxAge + TimeSpan.FromSeconds(1);
        await cache.ValidateTokenAsync(token, Parameters);
        _validator.Calls.ShouldBe(2);
    }

    [Fact]
    public async Task A_refused_token_is_refused_every_time_and_never_remembered()
    {
        var cache = Cache();
        var forged = TokenIssuer.Mint(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), "mallory", "mallory", ["*:admin"]);
        (await cache.ValidateTokenAsync(forged, Parameters)).IsValid.ShouldBeFalse();
        (await cache.ValidateTokenAsync(forged, Parameters)).IsValid.ShouldBeFalse();
        _validator.Calls.ShouldBe(2);
        cache.Count.ShouldBe(0);
    }

    [Fact]
    public async Task A_token_that_differs_from_a_cached_one_is_validated_as_itself()
    {
        var cache = Cache();
        var token = Token();
        await cache.ValidateTokenAsync(token, Parameters);
        var tampered = token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];

        (await cache.ValidateTokenAsync(tampered, Parameters)).IsValid.ShouldBeFalse();
        _validator.Calls.ShouldBe(2);
    }

    [Fact]
    public async Task What_one_request_adds_to_its_user_does_not_reach_the_next()
    {
        var cache = Cache();
        var token = Token();
        var first = await cache.ValidateTokenAsync(token, Parameters);
        first.ClaimsIdentity.AddClaim(new Claim("roles", "*:admin"));
        var second = await cache.ValidateTokenAsync(token, Parameters);
        second.ClaimsIdentity.FindAll("roles").Select(c => c.Value).ShouldBe(["agency-a:drafter"]);
        var third = await cache.ValidateTokenAsync(token, Parameters);
        third.ClaimsIdentity.ShouldNotBeSameAs(second.ClaimsIdentity);
    }

    [Fact]
    public async Task It_holds_no_more_tokens_than_its_capacity()
    {
        var cache = Cache(capacity: 3);
        for (var i = 0; i < 10; i++)
        {
            (await cache.ValidateTokenAsync(Token($"clerk-{i}"), Parameters)).IsValid.ShouldBeTrue();
            cache.Count.ShouldBeLessThanOrEqualTo(3);
        }
        _validator.Calls.ShouldBe(10);
    }

    private sealed class CountingValidator : TokenHandler
    {
        private readonly JsonWebTokenHandler _inner = new() { MapInboundClaims = false };
        private int _calls;
        public int Calls => _calls;

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Interlocked.Increment(ref _calls);
            return _inner.ValidateTokenAsync(token, validationParameters);
        }
    }
}
