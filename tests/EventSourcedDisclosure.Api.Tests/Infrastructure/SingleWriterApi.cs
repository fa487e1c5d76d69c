using Microsoft.AspNetCore.Hosting;

namespace EventSourcedDisclosure.Api.Tests.Infrastructure;

/// <summary>
/// One group-commit writer: under concurrent requests the commands queue behind it and go in
/// batches, and every command goes through its one kept connection.
/// </summary>
public sealed class SingleWriterApi : ApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Commands:Writers", "1");
    }
}
