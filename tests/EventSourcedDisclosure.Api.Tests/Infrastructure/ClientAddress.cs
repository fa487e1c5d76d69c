using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace EventSourcedDisclosure.Api.Tests.Infrastructure;

/// <summary>
/// The in-memory test server has no network peers: this sets the connection's remote address
/// from X-Test-Client, so tests can act as different clients. Test host only.
/// </summary>
public sealed class ClientAddress : IStartupFilter
{
    public const string Header = "X-Test-Client";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (http, nextMiddleware) =>
        {
            if (http.Request.Headers[Header].FirstOrDefault() is { } address) http.Connection.RemoteIpAddress = IPAddress.Parse(address);
            await nextMiddleware();
        });
        next(app);
    };
}
