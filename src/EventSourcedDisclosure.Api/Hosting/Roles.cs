using Microsoft.AspNetCore.Authorization;

namespace EventSourcedDisclosure.Api.Hosting;

/// <summary>The roles of ../shared/API.md, held per agency as "{agency}:{role}" ("*" = every agency).</summary>
public static class Roles
{
    public const string Drafter = "drafter", Reviewer = "reviewer", Approver = "approver", Publisher = "publisher",
        RequestOfficer = "requestOfficer", ReportEditor = "reportEditor", Auditor = "auditor", Admin = "admin";

    public static readonly string[] All = [Drafter, Reviewer, Approver, Publisher, RequestOfficer, ReportEditor, Auditor, Admin];

    /// <summary>
    /// Requires one of the roles in the agency the request is about: the route's {agency}, else the
    /// query's ?agency=, else any-agency ("*") roles only. Checked by the authorization middleware,
    /// before the body is read: 401 without a token, 403 without the role.
    /// </summary>
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, params string[] roles) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(new AgencyRole(roles)).Build());

    /// <summary>Whether a "*:{role}" or "{agency}:{role}" claim names one of the roles (which hold no colon).</summary>
    public static bool Holds(this System.Security.Claims.ClaimsPrincipal user, string? agency, IReadOnlyList<string> roles)
    {
        // Read in place, without sets or strings: every request that needs a role comes here.
        foreach (var identity in user.Identities)
            foreach (var claim in identity.Claims)
            {
                if (claim.Type != "roles") continue;
                var held = claim.Value.AsSpan();
                var colon = held.LastIndexOf(':');
                if (colon < 0) continue;
                ReadOnlySpan<char> scope = held[..colon], role = held[(colon + 1)..];
                if (!(scope is "*" || (agency is not null && scope.SequenceEqual(agency)))) continue;
                foreach (var wanted in roles)
                    if (role.SequenceEqual(wanted)) return true;
            }
        return false;
    }
}

public sealed record AgencyRole(IReadOnlyList<string> Roles) : IAuthorizationRequirement;

public sealed class AgencyRoleHandler : AuthorizationHandler<AgencyRole>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AgencyRole requirement)
    {
        if (context.Resource is HttpContext http)
        {
            var agency = http.Request.RouteValues["agency"] as string ?? http.Request.Query["agency"].FirstOrDefault();
            if (context.User.Holds(agency, requirement.Roles)) context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}

/// <summary>Who may read what (the role map in the README).</summary>
public static class Readers
{
    public static readonly string[] Items = [Roles.Drafter, Roles.Reviewer, Roles.Approver, Roles.Publisher, Roles.Auditor];
    public static readonly string[] Requests = [Roles.RequestOfficer, Roles.Auditor];
    public static readonly string[] Candidates = [Roles.RequestOfficer, Roles.Publisher, Roles.Auditor];
    public static readonly string[] Statistics = [Roles.ReportEditor, Roles.Auditor];
    public static readonly string[] Activity = [Roles.Auditor, Roles.Admin];
}
