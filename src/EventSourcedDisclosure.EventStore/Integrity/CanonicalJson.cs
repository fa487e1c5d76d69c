using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EventSourcedDisclosure.EventStore.Integrity;

/// <summary>
/// The canonical text of a JSON value, in the spirit of RFC 8785 (JCS): object members sorted by
/// their names' UTF-16 code units, no insignificant whitespace, strings escaped only where JSON
/// requires, numbers as written. The same value read back from jsonb gives the same text, so a
/// hash taken at append time can be recomputed by anyone from the audit API's output.
/// </summary>
public static class CanonicalJson
{
    public static string Of(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Of(document.RootElement);
    }

    public static string Of(JsonElement element)
    {
        var text = new StringBuilder();
        Write(element, text);
        return text.ToString();
    }

    private static void Write(JsonElement e, StringBuilder text)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                text.Append('{');
                var first = true;
                foreach (var property in e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (!first) text.Append(',');
                    first = false;
                    String(property.Name, text);
                    text.Append(':');
                    Write(property.Value, text);
                }
                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    if (i++ > 0) text.Append(',');
                    Write(item, text);
                }
                text.Append(']');
                break;
            case JsonValueKind.String:
                String(e.GetString()!, text);
                break;
            case JsonValueKind.Number:
                // jsonb keeps a number's digits; normalise only the exponent form both sides could differ in.
                text.Append(e.TryGetDecimal(out var d) ? d.ToString(CultureInfo.InvariantCulture) : e.GetRawText());
                break;
            default:
                text.Append(e.GetRawText()); // true, false, null
                break;
        }
    }

    private static void String(string s, StringBuilder text)
    {
        text.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (c < 0x20) text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else text.Append(c);
                    break;
            }
        }
        text.Append('"');
    }
}
