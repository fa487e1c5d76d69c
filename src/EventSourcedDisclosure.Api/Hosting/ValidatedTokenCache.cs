using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;

namespace EventSourcedDisclosure.Api.Hosting;

/// <summary>
/// Bearer tokens already validated, so that a client's next request with the same token skips
/// parsing it, checking its signature and building its claims again. Each client sends one token
/// for hours; under the command benchmark this took the API's CPU per command down about a tenth
/// (docs/performance.md).
/// <list type="bullet">
/// <item>Only a token identical to one validated is a hit; a failure is never remembered.</item>
/// <item>A hit holds only before the token's own expiry, without the validator's clock skew, so
/// it never accepts a token the validator would refuse.</item>
/// <item>And for at most <see cref="MaxAge"/> after its validation: an issuer's rotated keys (read
/// again from its metadata twice a day by default) take effect as before, give or take that.</item>
/// <item>At most <c>capacity</c> tokens: beyond it the cache starts afresh, so memory is bounded
/// whoever sends what.</item>
/// </list>
/// Each hit gets a copy of the claims, so nothing one request adds to its user reaches another.
/// </summary>
public sealed class ValidatedTokenCache(TokenHandler validator, TimeProvider clock, int capacity = 4096) : TokenHandler
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Validated> _tokens = new(StringComparer.Ordinal);

    private sealed record Validated(ClaimsIdentity Identity, SecurityToken Token, string? Issuer, string? TokenType, DateTimeOffset Until);

    public int Count => _tokens.Count;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = clock.GetUtcNow();
        if (_tokens.TryGetValue(token, out var known))
        {
            if (now < known.Until)
                return new TokenValidationResult
                {
                    IsValid = true, ClaimsIdentity = known.Identity.Clone(), SecurityToken = known.Token,
                    Issuer = known.Issuer, TokenType = known.TokenType,
                };
            _tokens.TryRemove(KeyValuePair.Create(token, known));
        }

        var result = await validator.ValidateTokenAsync(token, validationParameters);
        // A token without an expiry (ValidTo at its minimum) is validated every time.
        if (result is { IsValid: true, ClaimsIdentity: { } identity, SecurityToken: { } validated } && validated.ValidTo > DateTime.MinValue)
        {
            var expires = new DateTimeOffset(DateTime.SpecifyKind(validated.ValidTo, DateTimeKind.Utc));
            var until = now + MaxAge < expires ? now + MaxAge : expires;
            if (_tokens.Count >= capacity) _tokens.Clear(); // rare: once per new token at most
            _tokens[token] = new Validated(identity.Clone(), validated, result.Issuer, result.TokenType, until);
        }
        return result;
    }
}
