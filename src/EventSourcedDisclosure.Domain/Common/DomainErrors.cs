namespace EventSourcedDisclosure.Domain.Common;

/// <summary>A command the current state does not allow; <see cref="Rule"/> names the rule (HTTP 409).</summary>
public sealed class RuleViolation(string rule, string message) : Exception(message)
{
    public string Rule { get; } = rule;
}

/// <summary>A command whose fields are wrong in themselves (HTTP 400), field → messages.</summary>
public sealed class ValidationFailed(IReadOnlyDictionary<string, string[]> errors)
    : Exception("One or more fields are invalid: " + string.Join(", ", errors.Keys))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

/// <summary>Collects field errors so a client sees all of them at once.</summary>
public sealed class Validation
{
    private readonly Dictionary<string, List<string>> _errors = new();

    public Validation Require(bool condition, string field, string message)
    {
        if (!condition) (_errors.TryGetValue(field, out var list) ? list : _errors[field] = []).Add(message);
        return this;
    }

    public Validation NotBlank(string? value, string field, int maxLength = 500) =>
        Require(!string.IsNullOrWhiteSpace(value), field, "is required")
            .Require(value is null || value.Length <= maxLength, field, $"is longer than {maxLength} characters");

    /// <summary>Parses a code; an unknown one (or a missing required one) is a field error.</summary>
    public T? Code<T>(string? code, string field, bool required) where T : struct, Enum
    {
        if (code is null)
        {
            Require(!required, field, "is required");
            return null;
        }
        if (Codes.TryParse<T>(code, out var value)) return value;
        Require(false, field, $"'{code}' is not one of: {string.Join(", ", Enum.GetValues<T>().Select(Codes.Of))}");
        return null;
    }

    public void ThrowIfAny()
    {
        if (_errors.Count > 0) throw new ValidationFailed(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
    }
}

/// <summary>The command names a stream that does not exist (HTTP 404).</summary>
public sealed class NotFound(string message) : Exception(message);

/// <summary>Parses the API's camelCase codes into enums, collecting unknown ones as field errors.</summary>
public static class Codes
{
    public static string Of<T>(T value) where T : struct, Enum =>
        CodeTable<T>.ByValue.TryGetValue(value, out var code) ? code : Name(value); // an undefined value still gets a name

    public static bool TryParse<T>(string? code, out T value) where T : struct, Enum
    {
        if (code is not null && CodeTable<T>.ByCode.TryGetValue(code, out value)) return true;
        value = default;
        return false;
    }

    private static string Name<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    // Computed once per enum: the statistics fold and the projections convert codes for every fact and event.
    private static class CodeTable<T> where T : struct, Enum
    {
        public static readonly Dictionary<T, string> ByValue = Enum.GetValues<T>().Distinct().ToDictionary(v => v, Name);
        public static readonly Dictionary<string, T> ByCode = ByValue.GroupBy(e => e.Value).ToDictionary(g => g.Key, g => g.First().Key, StringComparer.Ordinal);
    }
}
