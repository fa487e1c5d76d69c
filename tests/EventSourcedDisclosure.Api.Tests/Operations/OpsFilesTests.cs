using System.Net;
using EventSourcedDisclosure.Api.Tests.Infrastructure;
using EventSourcedDisclosure.EventStore.Embedded;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace EventSourcedDisclosure.Api.Tests.Operations;

/// <summary>
/// The deployment files cannot run here (no Docker engine, no cluster), so they are parsed and
/// checked against the application they deploy: health paths that answer, configuration keys the
/// README documents, secrets that exist, PostgreSQL settings the server accepts.
/// </summary>
public sealed class OpsFilesTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly string Ops = Path.Combine(RepositoryRoot(), "ops");

    [Fact]
    public async Task The_compose_file_runs_postgres_two_api_replicas_and_a_proxy_on_files_that_exist()
    {
        var compose = Load(Path.Combine(Ops, "compose.yaml"));
        var services = Map(compose["services"]);
        services.Keys.ShouldBe(["postgres", "api-1", "api-2", "proxy"], ignoreOrder: true);
        Scalar(Map(services["postgres"])["image"]).ShouldBe("postgres:15");
        // The allocator's thresholds the embedded server runs with, and the benchmarks measured.
        Scalar(Map(Map(services["postgres"])["environment"])[EmbeddedPostgres.TunablesVariable]).ShouldBe(EmbeddedPostgres.AllocatorTunables);
        foreach (var api in new[] { "api-1", "api-2" })
        {
            var service = Map(services[api]);
            var environment = Map(service["environment"]);
            ShouldBeDocumented(environment.Keys);
            environment.Keys.ShouldContain("ConnectionStrings__Disclosure");
            environment.Keys.ShouldContain("PersonalData__KeyEncryptionKey"); // the same on both, or the second refuses to start
            var build = Map(service["build"]);
            File.Exists(Path.Combine(Ops, Scalar(build["context"]), Scalar(build["dockerfile"]))).ShouldBeTrue();
            (await HealthStatusAsync(Scalar(List(Map(service["healthcheck"])["test"])[1]).Split(' ').Single(w => w.StartsWith("http")))).ShouldBe(HttpStatusCode.OK);
        }
        foreach (var service in services.Values.Select(Map).Where(s => s.ContainsKey("volumes")))
            foreach (var mount in List(service["volumes"]).Select(Scalar).Where(m => m.StartsWith("./")))
                File.Exists(Path.Combine(Ops, mount.Split(':')[0])).ShouldBeTrue(mount);
        File.ReadAllText(Path.Combine(Ops, "nginx.conf")).ShouldContain("server api-2:8080");
    }

    [Fact]
    public async Task The_kubernetes_manifests_probe_real_health_paths_and_read_their_secrets()
    {
        var manifests = Directory.GetFiles(Path.Combine(Ops, "kubernetes"), "*.yaml").Select(Load).ToList();
        var byKind = manifests.ToDictionary(m => Scalar(m["kind"]));
        byKind.Keys.ShouldBe(["Deployment", "Service", "Secret", "PodDisruptionBudget"], ignoreOrder: true);

        var deployment = byKind["Deployment"];
        var spec = Map(deployment["spec"]);
        Scalar(spec["replicas"]).ShouldBe("2");
        var template = Map(Map(spec["template"])["spec"]);
        var container = Map(List(template["containers"]).Single());
        foreach (var probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
        {
            var get = Map(Map(container[probe])["httpGet"]);
            var path = Scalar(get["path"]);
            (await HealthStatusAsync(path)).ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable); // it exists and answers
            Scalar(get["port"]).ShouldBe(Scalar(Map(List(container["ports"]).Single())["name"]));
        }

        var secret = Map(byKind["Secret"]["stringData"]);
        var env = List(container["env"]).Select(Map).ToList();
        ShouldBeDocumented(env.Select(e => Scalar(e["name"])));
        foreach (var reference in env.Where(e => e.ContainsKey("valueFrom")).Select(e => Map(Map(e["valueFrom"])["secretKeyRef"])))
        {
            Scalar(reference["name"]).ShouldBe(Scalar(Map(byKind["Secret"]["metadata"])["name"]));
            secret.Keys.ShouldContain(Scalar(reference["key"]));
        }
        var labels = Map(Map(Map(spec["template"])["metadata"])["labels"]);
        foreach (var (key, value) in Map(Map(byKind["Service"]["spec"])["selector"])) Scalar(labels[key]).ShouldBe(Scalar(value));
        Scalar(Map(List(Map(byKind["Service"]["spec"])["ports"]).Single())["targetPort"]).ShouldBe("http");
    }

    [Fact]
    public async Task PostgreSQL_accepts_the_settings_file_and_refuses_a_broken_one()
    {
        var file = Path.Combine(Ops, "postgresql.conf");
        (await EmbeddedPostgres.CheckConfigurationFileAsync(file)).ShouldBeNull();

        // The check itself must be able to fail: one wrong value is enough.
        var broken = Path.Combine(Path.GetTempPath(), $"esd-broken-{Guid.NewGuid():N}.conf");
        File.WriteAllText(broken, File.ReadAllText(file).Replace("work_mem = 32MB", "work_mem = lots"));
        try { (await EmbeddedPostgres.CheckConfigurationFileAsync(broken)).ShouldNotBeNull().ShouldContain("work_mem"); }
        finally { File.Delete(broken); }
    }

    private async Task<HttpStatusCode> HealthStatusAsync(string url) =>
        (await api.Anonymous().GetAsync(new Uri(url, UriKind.RelativeOrAbsolute).IsAbsoluteUri ? new Uri(url).PathAndQuery : url)).StatusCode;

    // Every configuration key a deployment sets is one the README's configuration table explains.
    private static void ShouldBeDocumented(IEnumerable<string> variables)
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        foreach (var variable in variables)
            readme.ShouldContain(variable.StartsWith("DISCLOSURE_") ? variable : variable.Replace("__", ":"), customMessage: variable);
    }

    private static Dictionary<object, object> Load(string path)
    {
        using var reader = new StreamReader(path);
        return (Dictionary<object, object>)new DeserializerBuilder().Build().Deserialize(new MergingParser(new Parser(reader)))!;
    }

    private static Dictionary<string, object> Map(object node) => ((Dictionary<object, object>)node).ToDictionary(p => (string)p.Key, p => p.Value);
    private static Dictionary<string, object> Map(Dictionary<object, object> node) => Map((object)node);
    private static List<object> List(object node) => (List<object>)node;
    private static string Scalar(object node) => (string)node;

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EventSourcedDisclosure.sln"))) return dir.FullName;
        throw new InvalidOperationException("The repository root was not found above the test binaries.");
    }
}
