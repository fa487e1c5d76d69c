namespace EventSourcedDisclosure.Api.Hosting;

/// <summary>Business dates are China Standard Time dates (../shared/API.md), whatever the server's zone.</summary>
public static class BusinessDate
{
    public static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    public static DateOnly Today(this TimeProvider clock) =>
        DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(ChinaStandardTime).DateTime);
}
