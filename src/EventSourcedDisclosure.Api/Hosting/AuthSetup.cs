using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EventSourcedDisclosure.Api.Hosting;

/// <summary>
/// Bearer JWT per ../shared/API.md: issuer "disclosure", audience "disclosure-api"; HS256 with a
/// shared key on the embedded default and in tests, the issuer's keys when an authority or JWKS
/// URL is configured. Every endpoint needs a token unless it opts out explicitly.
/// </summary>
public static class AuthSetup
{
    public const string Issuer = "disclosure";
    public const string Audience = "disclosure-api";

    public static void AddDisclosureAuth(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var authority = config["Auth:Authority"];
        var jwksUrl = config["Auth:JwksUrl"];
        var key = authority is null && jwksUrl is null ? SigningKey.Resolve(config) : null;

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false; // keep "sub", "name", "roles" as issued
            // The validator's own clock, not the app's TimeProvider (tests move that one by months).
            o.TokenHandlers.Clear();
            o.TokenHandlers.Add(new ValidatedTokenCache(new JsonWebTokenHandler { MapInboundClaims = false }, TimeProvider.System));
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = config["Auth:Issuer"] ?? Issuer,
                ValidAudience = config["Auth:Audience"] ?? Audience,
                NameClaimType = "sub",
                RoleClaimType = "roles",
                ClockSkew = TimeSpan.FromSeconds(30),
            };
            if (key is not null)
            {
                o.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(key);
                o.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
            }
            else if (authority is not null) o.Authority = authority;
            else o.TokenValidationParameters.IssuerSigningKeyResolver = Jwks.Resolver(jwksUrl!);
        });
        builder.Services.AddSingleton<IAuthorizationHandler, AgencyRoleHandler>();
        builder.Services.AddAuthorization(o =>
            o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
    }

    /// <summary>The acting user recorded on every event.</summary>
    public static string Actor(this ClaimsPrincipal user) =>
        user.FindFirst("sub")?.Value ?? "public"; // online submissions without an account

    private static class Jwks
    {
        public static IssuerSigningKeyResolver Resolver(string url)
        {
            var keys = new Lazy<IList<SecurityKey>>(() =>
            {
                using var http = new HttpClient();
                var json = http.GetStringAsync(url).GetAwaiter().GetResult();
                return new JsonWebKeySet(json).GetSigningKeys();
            });
            return (_, _, _, _) => keys.Value;
        }
    }
}

/// <summary>The HS256 key: configured (base64, ≥ 32 bytes), or generated once into the data folder.</summary>
public static class SigningKey
{
    public static byte[] Resolve(IConfiguration config)
    {
        var configured = config["Auth:SigningKey"] ?? Environment.GetEnvironmentVariable("DISCLOSURE_AUTH_SIGNING_KEY");
        if (configured is not null) return Decode(configured, "Auth:SigningKey");
        var file = Path.Combine(DatabaseSetup.DataFolder(config), "signing-key");
        if (File.Exists(file)) return Decode(File.ReadAllText(file).Trim(), file);
        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, Convert.ToBase64String(key));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return key;
    }

    private static byte[] Decode(string base64, string source)
    {
        var bytes = Convert.FromBase64String(base64);
        return bytes.Length >= 32 ? bytes : throw new InvalidOperationException($"{source}: the signing key must be at least 32 bytes.");
    }
}
