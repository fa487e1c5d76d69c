using System.Text.Json;
using System.Text.Json.Serialization;
using EventSourcedDisclosure.Api.Activity;
using EventSourcedDisclosure.Api.Audit;
using EventSourcedDisclosure.Api.Agencies;
using EventSourcedDisclosure.Api.Calendar;
using EventSourcedDisclosure.Api.Catalogue;
using EventSourcedDisclosure.Api.Reports;
using EventSourcedDisclosure.Api.Requests;
using EventSourcedDisclosure.Api.Statistics;
using EventSourcedDisclosure.Api.Items;
using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.EventStore.Embedded;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
if (builder.Configuration["Logging:Format"] == "simple") builder.Logging.AddSimpleConsole();
else builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);

string connectionString;
EmbeddedPostgres? embedded;
try
{
    (connectionString, embedded) = await DatabaseSetup.ResolveAsync(builder.Configuration);
}
catch (EmbeddedPostgresUnavailableException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddDisclosureStore(builder.Configuration, connectionString);
EventSourcedDisclosure.Api.Demo.DemoOnFirstStart.Add(builder.Services, builder.Configuration, embedded is not null); // after the migrator
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
    o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
});
builder.Services.AddProblemDetails();
builder.AddDisclosureAuth();
builder.AddDisclosureHardening();
builder.Services.AddOnlineSubmissionLimits(builder.Configuration);
builder.Services.AddDisclosureOpenApi();
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));

var app = builder.Build();
if (embedded is not null)
    app.Lifetime.ApplicationStopped.Register(() => embedded.StopAsync().GetAwaiter().GetResult());

app.UseDisclosureProblems();
app.UseDisclosureHardening();
app.UseRequestMetadata();
// Only /swagger goes through Swashbuckle's two middlewares; every other request skips both.
app.UseWhen(http => http.Request.Path.StartsWithSegments("/swagger"), swagger =>
{
    swagger.UseSwagger();
    swagger.UseSwaggerUI();
});
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

app.MapHealth();
var api = app.MapGroup("/api/v1");
api.MapAgencies();
api.MapActivity();
api.MapItems();
api.MapCatalogue();
api.MapRequests();
api.MapCalendar();
api.MapAppeals();
api.MapStatistics();
api.MapAnnualReports();
api.MapAudit();
api.MapProofs();

await app.RunAsync();
return 0;

public partial class Program;
