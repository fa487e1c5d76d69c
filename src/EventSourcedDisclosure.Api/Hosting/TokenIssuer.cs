using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EventSourcedDisclosure.Api.Hosting;

/// <summary>Mints HS256 development tokens; whoever holds the key can, so tests need no login service.</summary>
public static class TokenIssuer
{
    public static string Mint(byte[] key, string subject, string name, IEnumerable<string> roles, TimeSpan? lifetime = null)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AuthSetup.Issuer,
            Audience = AuthSetup.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? TimeSpan.FromHours(8)),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = subject,
                ["name"] = name,
                ["roles"] = roles.ToArray(),
            },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });
    }
}
