using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EventSourcedDisclosure.Benchmarks;

/// <summary>The API as its own process on loopback, built in the same configuration as this program, so HTTP, memory and CPU are real.</summary>
public sealed class ApiHost : IAsyncDisposable
{
    public static readonly byte[] SigningKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
    public static readonly byte[] PersonalKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ApiHost(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<ApiHost> StartAsync(string connectionString, string dataFolder)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet", [ApiAssembly()])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = dataFolder,
        };
        start.Environment["ASPNETCORE_URLS"] = address.ToString();
        start.Environment["ConnectionStrings__Disclosure"] = connectionString;
        start.Environment["DISCLOSURE_AUTH_SIGNING_KEY"] = Convert.ToBase64String(SigningKey);
        start.Environment["PersonalData__KeyEncryptionKey"] = Convert.ToBase64String(PersonalKey);
        start.Environment["DataDirectory"] = dataFolder;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["RateLimits__OnlineSubmissionsPerMinute"] = "1000000";
        var process = Process.Start(start)!;
        var host = new ApiHost(process, address);
        process.OutputDataReceived += (_, e) => { lock (host._output) host._output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (host._output) host._output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"The API exited:\n{host._output}");
            try { if ((await client.GetAsync("/health/live")).IsSuccessStatusCode) return host; }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The API did not start:\n{host._output}");
    }

    public HttpClient Client(string? token = null)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        var client = new HttpClient(handler) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    /// <summary>The process's peak resident set (VmHWM), in MiB.</summary>
    public double PeakRssMiB() =>
        File.ReadLines($"/proc/{_process.Id}/status").Where(l => l.StartsWith("VmHWM:"))
            .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024).Single();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // src/EventSourcedDisclosure.Api/bin/{configuration}/net10.0/ — the configuration this program was built in.
    private static string ApiAssembly()
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = bin.Parent!.Name;
        var root = bin;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "EventSourcedDisclosure.sln"))) root = root.Parent;
        var dll = Path.Combine(root?.FullName ?? throw new InvalidOperationException("No repository above " + bin),
            "src", "EventSourcedDisclosure.Api", "bin", configuration, bin.Name, "EventSourcedDisclosure.Api.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the API first.", dll);
    }
}
