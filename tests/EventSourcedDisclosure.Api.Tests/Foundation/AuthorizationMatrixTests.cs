using System.Net;
using System.Net.Http.Headers;
using System.Text;
using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.Api.Tests.Infrastructure;

namespace EventSourcedDisclosure.Api.Tests.Foundation;

/// <summary>
/// Every endpoint of the OpenAPI document, with every role, no token, and another agency's
/// token. The matrix below is the role map of the README; an endpoint missing from it fails.
/// </summary>
public sealed class AuthorizationMatrixTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Public = "public";
    private const string AnyStaff = "anyStaff"; // any valid token, whichever agency

    /// <summary>"METHOD path" → the roles that may call it; Global = only "*:" roles count (no agency in the request).</summary>
    private static readonly Dictionary<string, (string[] Roles, bool Global)> Matrix = new()
    {
        ["GET /api/v1/agencies"] = ([AnyStaff], false),
        ["GET /api/v1/agencies/{agency}"] = (Roles.All, false),
        ["PUT /api/v1/agencies/{agency}"] = ([Roles.Admin], false),
        ["POST /api/v1/agencies/{agency}/items"] = ([Roles.Drafter], false),
        ["GET /api/v1/agencies/{agency}/items"] = (Readers.Items, false),
        ["GET /api/v1/agencies/{agency}/items/{id}"] = (Readers.Items, false),
        ["POST /api/v1/agencies/{agency}/items/{id}/attribute"] = ([Roles.Drafter], false),
        ["POST /api/v1/agencies/{agency}/items/{id}/review"] = ([Roles.Reviewer], false),
        ["POST /api/v1/agencies/{agency}/items/{id}/approval"] = ([Roles.Approver], false),
        ["POST /api/v1/agencies/{agency}/items/{id}/publication"] = ([Roles.Publisher], false),
        ["POST /api/v1/agencies/{agency}/items/{id}/declassification"] = ([Roles.Reviewer], false),
        ["POST /api/v1/agencies/{agency}/items/{id}/withholding-review"] = ([Roles.Reviewer], false),
        ["POST /api/v1/agencies/{agency}/items/{id}/revision"] = ([Roles.Drafter], false),
        ["POST /api/v1/agencies/{agency}/items/{id}/repeal"] = ([Roles.Approver], false),
        ["GET /api/v1/catalogue"] = ([Public], false),
        ["GET /api/v1/catalogue/{indexNumber}"] = ([Public], false),
        ["POST /api/v1/agencies/{agency}/requests"] = ([Roles.RequestOfficer], false),
        ["GET /api/v1/agencies/{agency}/requests"] = (Readers.Requests, false),
        ["GET /api/v1/agencies/{agency}/requests/{id}"] = (Readers.Requests, false),
        ["GET /api/v1/agencies/{agency}/requests/{id}/deadline"] = (Readers.Requests, false),
        ["POST /api/v1/agencies/{agency}/requests/{id}/correction-notice"] = ([Roles.RequestOfficer], false),
        ["POST /api/v1/agencies/{agency}/requests/{id}/correction"] = ([Roles.RequestOfficer], false),
        ["POST /api/v1/agencies/{agency}/requests/{id}/consultation"] = ([Roles.RequestOfficer], false),
        ["POST /api/v1/agencies/{agency}/requests/{id}/consultation/reply"] = ([Roles.RequestOfficer], false),
        ["POST /api/v1/agencies/{agency}/requests/{id}/extension"] = ([Roles.RequestOfficer], false),
        ["POST /api/v1/agencies/{agency}/requests/{id}/fee-notice"] = ([Roles.RequestOfficer], false),
        ["POST /api/v1/agencies/{agency}/requests/{id}/fee-payment"] = ([Roles.RequestOfficer], false),
        ["POST /api/v1/agencies/{agency}/requests/{id}/answer"] = ([Roles.RequestOfficer], false),
        ["POST /api/v1/agencies/{agency}/requests/{id}/applicant-erasure"] = ([Roles.Admin], false),
        ["POST /api/v1/agencies/{agency}/requests/{id}/reconsiderations"] = ([Roles.RequestOfficer], false),
        ["POST /api/v1/agencies/{agency}/requests/{id}/reconsiderations/{appeal}/decision"] = ([Roles.RequestOfficer], false),
        ["POST /api/v1/agencies/{agency}/requests/{id}/lawsuits"] = ([Roles.RequestOfficer], false),
        ["POST /api/v1/agencies/{agency}/requests/{id}/lawsuits/{appeal}/decision"] = ([Roles.RequestOfficer], false),
        ["GET /api/v1/agencies/{agency}/disclosure-candidates"] = (Readers.Candidates, false),
        ["GET /api/v1/tracking/{code}"] = ([Public], false),
        ["GET /api/v1/calendar/{year}"] = (Roles.All, true),
        ["PUT /api/v1/calendar/{year}"] = ([Roles.Admin], true),
        ["GET /api/v1/agencies/{agency}/statistics/{year}"] = (Readers.Statistics, false),
        ["GET /api/v1/regions/{region}/statistics/{year}"] = (Readers.Statistics, true),
        ["GET /api/v1/agencies/{agency}/annual-reports/{year}"] = (Readers.Statistics, false),
        ["PUT /api/v1/agencies/{agency}/annual-reports/{year}/text"] = ([Roles.ReportEditor], false),
        ["POST /api/v1/agencies/{agency}/annual-reports/{year}/publication"] = ([Roles.ReportEditor], false),
        ["GET /api/v1/agencies/{agency}/activity"] = (Readers.Activity, false),
        ["GET /api/v1/audit/streams/{id}"] = ([Roles.Auditor], true),
        ["GET /api/v1/audit/events"] = ([Roles.Auditor], true),
        ["GET /api/v1/audit/export"] = ([Roles.Auditor], true),
        ["GET /api/v1/audit/verify"] = ([Roles.Auditor], true),
        ["GET /api/v1/audit/digest"] = ([Roles.Auditor], true),
        ["GET /api/v1/audit/proof/{sequence}"] = ([Roles.Auditor], true),
        ["GET /api/v1/audit/consistency"] = ([Roles.Auditor], true),
    };

    [Fact]
    public async Task Every_endpoint_answers_each_role_as_the_role_map_says()
    {
        var document = await (await api.Anonymous().GetAsync("/swagger/v1/swagger.json")).BodyAsync();
        var endpoints = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(m => $"{m.Key.ToUpperInvariant()} {p.Key}"))
            .ToList();
        endpoints.Where(e => !Matrix.ContainsKey(e)).ShouldBeEmpty("endpoints without an entry in the role map");
        Matrix.Keys.Where(k => !endpoints.Contains(k)).ShouldBeEmpty("role map entries without an endpoint");

        var failures = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var (allowed, global) = Matrix[endpoint];
            var isPublic = allowed.Contains(Public);
            await ExpectAsync(endpoint, null, isPublic ? "open" : "401", failures);
            if (isPublic) continue;
            foreach (var role in Roles.All)
                await ExpectAsync(endpoint, $"{(global ? "*" : "mx")}:{role}", allowed.Contains(role) || allowed.Contains(AnyStaff) ? "open" : "403", failures);
            await ExpectAsync(endpoint, string.Join(',', Roles.All.Select(r => $"other:{r}")), allowed.Contains(AnyStaff) ? "open" : "403", failures);
        }
        failures.ShouldBeEmpty();
    }

    private async Task ExpectAsync(string endpoint, string? roles, string expected, List<string> failures)
    {
        var (method, template) = (endpoint.Split(' ')[0], endpoint.Split(' ')[1]);
        var path = template.Replace("{agency}", "mx").Replace("{id}", Guid.NewGuid().ToString()).Replace("{appeal}", Guid.NewGuid().ToString())
            .Replace("{year}", "2025").Replace("{region}", "130525").Replace("{sequence}", "1").Replace("{code}", "AAAA-AAAA-AAAA-AAAA")
            .Replace("{indexNumber}", "mx-2025-00001");
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        var client = api.Anonymous();
        if (roles is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
                TokenIssuer.Mint(ApiFactory.Key, "matrix", "matrix", roles.Split(',')));
        var status = (int)(await client.SendAsync(request)).StatusCode;
        var ok = expected switch { "open" => status is not (401 or 403), _ => status == int.Parse(expected) };
        if (!ok) failures.Add($"{endpoint} as {roles ?? "anonymous"}: {status}, expected {expected}");
    }
}
