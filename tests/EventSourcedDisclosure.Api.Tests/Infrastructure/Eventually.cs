namespace EventSourcedDisclosure.Api.Tests.Infrastructure;

/// <summary>Waits for an async projection: polls until the probe returns a value, or fails after the limit.</summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T?>> probe, int seconds = 30) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (await probe() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Nothing after {seconds} s.");
            await Task.Delay(50);
        }
    }
}
