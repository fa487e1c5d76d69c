using Microsoft.OpenApi;

namespace EventSourcedDisclosure.Api.Hosting;

public static class OpenApiSetup
{
    public static void AddDisclosureOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "EventSourcedDisclosure",
                Version = "v1",
                Description = "政府信息公开: information items, requests, the catalogue and the yearly report, as an event log.",
            });
            o.AddSecurityDefinition("bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A bearer JWT from your identity provider, or one minted with the signing key (README, Authentication).",
            });
            o.AddSecurityRequirement(doc => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", doc)] = [] });
        });
    }
}
