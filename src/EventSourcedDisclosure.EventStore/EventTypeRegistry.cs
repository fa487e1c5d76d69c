using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventSourcedDisclosure.EventStore;

/// <summary>
/// Stable stored names for event types, registered in one place. The stored name is never the CLR
/// name, so types can be renamed or moved freely; a new shape gets a new name (".v2").
/// </summary>
public sealed class EventTypeRegistry
{
    private readonly Dictionary<string, Type> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, string> _byType = new();
    private readonly Dictionary<string, Privacy.PersonalFields> _personal = new(StringComparer.Ordinal);
    private readonly HashSet<string> _erasures = new(StringComparer.Ordinal);

    // Chinese text goes out as itself, not \uXXXX: half the bytes to send and for jsonb to parse,
    // and readable in an export. Only what HTML needs escaped stays escaped; the hash chain hashes
    // each event's canonical text (CanonicalJson), which does not depend on how it was escaped.
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public EventTypeRegistry Register<T>(string storedName) => Register(typeof(T), storedName);

    public EventTypeRegistry Register(Type type, string storedName)
    {
        if (_byName.TryGetValue(storedName, out var existing) && existing != type)
            throw new InvalidOperationException($"Event name '{storedName}' is already used by {existing}.");
        if (_byType.TryGetValue(type, out var name) && name != storedName)
            throw new InvalidOperationException($"{type} is already registered as '{name}'.");
        _byName[storedName] = type;
        _byType[type] = storedName;
        return this;
    }

    /// <summary>Marks properties of an event as personal data: stored sealed under the stream's data key.</summary>
    public EventTypeRegistry PersonalData(string storedName, IEnumerable<string> paths)
    {
        if (!_byName.ContainsKey(storedName)) throw new InvalidOperationException($"'{storedName}' is not registered.");
        _personal[storedName] = new Privacy.PersonalFields(paths);
        return this;
    }

    /// <summary>Marks an event that erases its stream's personal data: appending it destroys the stream's data key.</summary>
    public EventTypeRegistry ErasesPersonalData(string storedName)
    {
        if (!_byName.ContainsKey(storedName)) throw new InvalidOperationException($"'{storedName}' is not registered.");
        _erasures.Add(storedName);
        return this;
    }

    public Privacy.PersonalFields? PersonalFieldsOf(string storedName) => _personal.GetValueOrDefault(storedName);

    public bool Erases(string storedName) => _erasures.Contains(storedName);

    public string NameOf(Type type) =>
        _byType.TryGetValue(type, out var name)
            ? name
            : throw new InvalidOperationException($"{type} has no registered event name.");

    public bool IsRegistered(string storedName) => _byName.ContainsKey(storedName);

    public IReadOnlyCollection<string> Names => _byName.Keys;

    public string Serialize(object data) => JsonSerializer.Serialize(data, data.GetType(), Json);

    public object Deserialize(string storedName, string json) =>
        _byName.TryGetValue(storedName, out var type)
            ? JsonSerializer.Deserialize(json, type, Json)!
            : new UnknownEvent(storedName, JsonSerializer.Deserialize<JsonElement>(json));
}
