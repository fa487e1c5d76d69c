using System.Text.RegularExpressions;
using EventSourcedDisclosure.EventStore.Projections;

namespace EventSourcedDisclosure.EventStore;

public sealed partial class EventStoreOptions
{
    private string _schema = "disclosure";

    /// <summary>The PostgreSQL schema holding the store and its read models.</summary>
    public string Schema
    {
        get => _schema;
        set => _schema = SchemaName().IsMatch(value)
            ? value
            : throw new ArgumentException($"'{value}' is not a plain lower-case schema name.", nameof(value));
    }

    public EventTypeRegistry Events { get; } = new();

    /// <summary>
    /// The key-encryption key (32 bytes) wrapping each data subject's key; needed once any event
    /// type carries personal data. Every node of a deployment needs the same one.
    /// </summary>
    public byte[]? PersonalDataKey
    {
        get => _personalDataKey;
        set => _personalDataKey = value is null or { Length: 32 }
            ? value
            : throw new ArgumentException("The personal data key must be 32 bytes.", nameof(value));
    }

    private byte[]? _personalDataKey;

    public List<ProjectionRegistration> Projections { get; } = [];

    /// <summary>Events read per daemon batch (one transaction each).</summary>
    public int DaemonBatchSize { get; set; } = 500;

    /// <summary>Streams per page of a by-stream rebuild (<c>IStreamRebuild</c>): a few thousand events in memory at once.</summary>
    public int RebuildPageStreams { get; set; } = 2_000;

    /// <summary>How long an idle daemon waits before looking for new events.</summary>
    public TimeSpan DaemonPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often a daemon without leadership tries to take it over.</summary>
    public TimeSpan LeadershipRetryInterval { get; set; } = TimeSpan.FromSeconds(1);

    public EventStoreOptions AddProjection(IProjection projection, ProjectionLifecycle lifecycle)
    {
        if (Projections.Any(p => p.Projection.Name == projection.Name))
            throw new InvalidOperationException($"Projection '{projection.Name}' is registered twice.");
        Projections.Add(new(projection, lifecycle));
        return this;
    }

    public IEnumerable<IProjection> Inline =>
        Projections.Where(p => p.Lifecycle == ProjectionLifecycle.Inline).Select(p => p.Projection);

    public IEnumerable<IProjection> Async =>
        Projections.Where(p => p.Lifecycle == ProjectionLifecycle.Async).Select(p => p.Projection);

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
