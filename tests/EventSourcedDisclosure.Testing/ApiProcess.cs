using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace EventSourcedDisclosure.Testing;

/// <summary>
/// The built API run as its own process, the way the README runs it, so tests can stop it with
/// SIGTERM or kill it outright and start it again, and the benchmarks can measure it.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ApiProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }
    public int Id => _process.Id;
    public string Output { get { lock (_output) return _output.ToString(); } }
    public bool HasExited => _process.HasExited;

    /// <summary>The process's peak resident set (VmHWM), in MiB.</summary>
    public double PeakRssMiB() =>
        File.ReadLines($"/proc/{_process.Id}/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024).Single();
    public int ExitCode => _process.ExitCode;

    /// <summary>The settings of a deployment on a given database: its connection, token key and (optionally) personal-data key.</summary>
    public static Dictionary<string, string?> Deployment(string connectionString, byte[] signingKey, byte[]? personalDataKey = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Disclosure"] = connectionString,
            ["DISCLOSURE_AUTH_SIGNING_KEY"] = Convert.ToBase64String(signingKey),
        };
        if (personalDataKey is not null) settings["PersonalData__KeyEncryptionKey"] = Convert.ToBase64String(personalDataKey);
        return settings;
    }

    public static ApiProcess Start(string workingDirectory, IDictionary<string, string?> environment)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet", [ApiAssembly()])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The child must not inherit the test host's settings: it runs as a newcomer would run it.
        foreach (var name in new[] { "ConnectionStrings__Disclosure", "DISCLOSURE_CONNECTION", "DISCLOSURE_DATA_DIR",
                     "DISCLOSURE_AUTH_SIGNING_KEY", "DISCLOSURE_PG_BIN", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT" })
            start.Environment.Remove(name);
        start.Environment["ASPNETCORE_URLS"] = address.ToString();
        start.Environment["Logging__Format"] = "simple";
        foreach (var (name, value) in environment) start.Environment[name] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var api = new ApiProcess(process, address);
        process.OutputDataReceived += (_, e) => api.Append(e.Data);
        process.ErrorDataReceived += (_, e) => api.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return api;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    /// <summary>Polls /health/ready; returns how long it took, or fails with the process output.</summary>
    public async Task<TimeSpan> WaitReadyAsync(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        using var client = Client();
        client.Timeout = TimeSpan.FromSeconds(5);
        while (clock.Elapsed < limit)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(); // drains the redirected output
                throw new InvalidOperationException($"The API exited with {_process.ExitCode}:\n{Output}");
            }
            try
            {
                if ((await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK) return clock.Elapsed;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"/health/ready was not 200 within {limit}:\n{Output}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        using var cts = new CancellationTokenSource(limit);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>What systemd or docker stop sends.</summary>
    public void Terminate() => Kill(_process.Id, 15);

    /// <summary>kill -9: no shutdown code runs.</summary>
    public void KillHard() => _process.Kill();

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

    /// <summary>src/EventSourcedDisclosure.Api/bin/{configuration}/net10.0/, built with the same configuration as these tests.</summary>
    private static string ApiAssembly()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = testBin.Parent!.Name; // bin/{configuration}/net10.0
        var root = testBin;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "EventSourcedDisclosure.sln"))) root = root.Parent;
        if (root is null) throw new InvalidOperationException("EventSourcedDisclosure.sln not found above " + AppContext.BaseDirectory);
        var dll = Path.Combine(root.FullName, "src", "EventSourcedDisclosure.Api", "bin", configuration, testBin.Name, "EventSourcedDisclosure.Api.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the API first.", dll);
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
