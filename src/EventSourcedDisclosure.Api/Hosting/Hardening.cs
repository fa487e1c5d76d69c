namespace EventSourcedDisclosure.Api.Hosting;

/// <summary>
/// Limits and headers every deployment wants: bounded bodies and JSON depth, no sniffing or
/// framing, no caching of API answers (they may carry personal data), CORS closed unless
/// origins are configured (Cors:Origins).
/// </summary>
public static class Hardening
{
    public const long MaxRequestBodyBytes = 8 * 1024 * 1024;
    public const int MaxJsonDepth = 32;
    private const string CorsPolicy = "configured-origins";

    public static void AddDisclosureHardening(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.MaxDepth = MaxJsonDepth);
        var origins = builder.Configuration.GetSection("Cors:Origins").Get<string[]>() ?? [];
        builder.Services.AddCors(o => o.AddPolicy(CorsPolicy, p =>
        {
            if (origins.Length > 0) p.WithOrigins(origins).AllowAnyHeader().AllowAnyMethod().WithExposedHeaders("ETag", "Location", RequestMetadata.CorrelationHeader);
        }));
    }

    public static void UseDisclosureHardening(this WebApplication app)
    {
        // Without async: the headers go on before the rest runs, and a state machine per request
        // for nothing is CPU the command load feels.
        app.Use((http, next) =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            if (http.Request.Path.StartsWithSegments("/api"))
            {
                headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
                if (!http.Request.Path.StartsWithSegments("/api/v1/catalogue")) headers.CacheControl = "no-store";
            }
            return next(http);
        });
        app.UseCors(CorsPolicy);
    }
}
