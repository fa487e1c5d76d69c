using System.Threading.RateLimiting;
using EventSourcedDisclosure.Api.Hosting;

namespace EventSourcedDisclosure.Api.Requests;

/// <summary>
/// Anyone may submit a request online without an account (API.md: public); staff record every
/// channel. Anonymous submissions are limited per client address so a burst from one client
/// cannot crowd out the others.
/// </summary>
public static class OnlineSubmission
{
    public const string RateLimitPolicy = "online-submissions";
    public const string PublicActor = "public";

    public static void AddOnlineSubmissionLimits(this IServiceCollection services, IConfiguration config)
    {
        var perMinute = config.GetValue("RateLimits:OnlineSubmissionsPerMinute", 10);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(RateLimitPolicy, http => http.User.Identity?.IsAuthenticated == true
                ? RateLimitPartition.GetNoLimiter("staff")
                : RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
    }

    /// <summary>Staff need requestOfficer for the agency; without a token only the online channel is open.</summary>
    public static IResult? Refusal(HttpContext http, string agency, string? channel)
    {
        if (http.User.Identity?.IsAuthenticated != true)
            return channel == "online" ? null : Problems.Problem(401, "unauthenticated", "A valid bearer token is required.",
                "Without a token only online submissions (channel \"online\") are accepted.");
        return http.User.Holds(agency, [Roles.RequestOfficer]) ? null
            : Problems.Problem(403, "forbidden", "The token does not allow this.", $"Recording requests needs {agency}:{Roles.RequestOfficer}.");
    }

    public static string Actor(HttpContext http) => http.User.Identity?.IsAuthenticated == true ? http.User.Actor() : PublicActor;
}
