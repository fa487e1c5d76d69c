using System.Text.Json;
using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.EventStore;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace EventSourcedDisclosure.Api.Hosting;

/// <summary>Every error leaves as RFC 9457 problem details; the type names the rule broken.</summary>
public static class Problems
{
    public const string TypePrefix = "urn:esd:problem:";

    public static IResult Problem(int status, string type, string title, string detail, IDictionary<string, string[]>? errors = null)
    {
        var problem = errors is null
            ? new ProblemDetails()
            : new HttpValidationProblemDetails(errors);
        problem.Status = status;
        problem.Type = TypePrefix + type;
        problem.Title = title;
        problem.Detail = detail;
        return Results.Problem(problem);
    }

    public static IResult From(Exception exception) => exception switch
    {
        ValidationFailed v => Problem(400, "validation", "The request has invalid fields.", v.Message, v.Errors.ToDictionary()),
        NotFound n => Problem(404, "not-found", "No such resource.", n.Message),
        RuleViolation r => Problem(409, r.Rule, "The command is not allowed in the current state.", r.Message),
        ConcurrencyException c => Problem(409, "concurrency-conflict", "Another write changed this resource first.",
            $"The resource is now at version {c.ActualVersion}; reload and retry."),
        IdempotencyKeyReusedException k => Problem(422, "idempotency-key-reused",
            "The Idempotency-Key was already used for a different request.", $"Key '{k.Key}'."),
        EventStore.Privacy.PersonalDataErasedException => Problem(409, Domain.Requests.ErasureRules.AlreadyErased,
            "The command is not allowed in the current state.", "The applicant's personal data was erased; none is recorded again."),
        BadHttpRequestException { InnerException: JsonException j } => Problem(400, "validation", "The request body is not valid.",
            "A field has a value of the wrong form.", new Dictionary<string, string[]> { [FieldOf(j.Path)] = [Clean(j.Message)] }),
        BadHttpRequestException b => Problem(b.StatusCode, "bad-request", "The request is not valid.", b.Message),
        _ => Problem(500, "internal", "An unexpected error occurred.", "The error was logged; nothing was written."),
    };

    private static string FieldOf(string? path) => string.IsNullOrEmpty(path) ? "body" : path.TrimStart('$', '.');

    // System.Text.Json messages name CLR types and line numbers; keep only the first sentence.
    private static string Clean(string message) => message.Split(". Path:")[0];

    public static void UseDisclosureProblems(this WebApplication app)
    {
        app.UseExceptionHandler(handler => handler.Run(async context =>
        {
            var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            if (exception is not null and not (ValidationFailed or RuleViolation or NotFound or ConcurrencyException or BadHttpRequestException
                    or EventStore.Privacy.PersonalDataErasedException))
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Problems")
                    .LogError(exception, "Unhandled error on {Path}", context.Request.Path);
            await From(exception ?? new Exception()).ExecuteAsync(context);
        }));
        app.UseStatusCodePages(async status =>
        {
            var code = status.HttpContext.Response.StatusCode;
            var (type, title) = code switch
            {
                401 => ("unauthenticated", "A valid bearer token is required."),
                403 => ("forbidden", "The token does not allow this."),
                404 => ("not-found", "No such resource."),
                405 => ("method-not-allowed", "The method is not allowed here."),
                415 => ("unsupported-media-type", "Send application/json."),
                _ => ("http-" + code, "The request failed."),
            };
            await Problem(code, type, title, title).ExecuteAsync(status.HttpContext);
        });
    }
}
