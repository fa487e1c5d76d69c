using System.CommandLine;
using Microsoft.Extensions.Configuration;

namespace EventSourcedDisclosure.Cli.Commands;

/// <summary>`esd token`: a development token minted with the API's HS256 key, for Swagger UI's Authorize or scripts.</summary>
public static class TokenCommand
{
    public static Command Create(TextWriter output)
    {
        var subject = new Option<string>("--subject") { Description = "The user id (sub): the actor of every event", Required = true };
        var name = new Option<string?>("--name") { Description = "Display name (defaults to the subject)" };
        var role = new Option<string[]>("--role") { Description = "\"{agency}:{role}\", repeatable; {agency} may be *", AllowMultipleArgumentsPerToken = true };
        var hours = new Option<int>("--hours") { Description = "Lifetime in hours", DefaultValueFactory = _ => 8 };
        var token = new Command("token", "Mint a bearer token with the API's HS256 key, for Swagger UI's Authorize or scripts")
            { subject, name, role, hours, CliOptions.DataDir };
        token.SetAction(async (parsed, _) =>
        {
            var settings = new Dictionary<string, string?>();
            if (parsed.GetValue(CliOptions.DataDir) is { } folder) settings["DataDirectory"] = folder;
            var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            var key = Api.Hosting.SigningKey.Resolve(config);
            var roles = parsed.GetValue(role) ?? [];
            var bad = roles.Where(r => r.Split(':') is not [{ Length: > 0 }, var rn] || !Api.Hosting.Roles.All.Contains(rn)).ToList();
            if (bad.Count > 0)
            {
                await output.WriteLineAsync($"Unknown role(s): {string.Join(", ", bad)}. Roles: {string.Join(", ", Api.Hosting.Roles.All)}.");
                return 2;
            }
            await output.WriteLineAsync(Api.Hosting.TokenIssuer.Mint(key, parsed.GetValue(subject)!, parsed.GetValue(name) ?? parsed.GetValue(subject)!,
                roles, TimeSpan.FromHours(parsed.GetValue(hours))));
            return 0;
        });
        return token;
    }
}
