using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace EventSourcedDisclosure.EventStore.Integrity;

/// <summary>
/// The canonical text of a JSON value, in the spirit of RFC 8785 (JCS): object members sorted by
/// their names' UTF-16 code units, no insignificant whitespace, strings escaped only where JSON
/// requires, numbers as written. The same value read back from jsonb gives the same text, so a
/// hash taken at append time can be recomputed by anyone from the audit API's output.
/// </summary>
/// <remarks>
/// Written as UTF-8 straight from the parsed document: every append hashes its events' canonical
/// text, and building it as .NET strings (a string per name and value, a sorted copy of every
/// object, the whole text, then its bytes) was a sixth of what a command allocated.
/// </remarks>
public static class CanonicalJson
{
    public static string Of(string json)
    {
        var text = new ArrayBufferWriter<byte>(json.Length + 16);
        Write(json, text);
        return Encoding.UTF8.GetString(text.WrittenSpan);
    }

    /// <summary>The canonical text of <paramref name="json"/>, as UTF-8, appended to <paramref name="text"/>.</summary>
    public static void Write(string json, IBufferWriter<byte> text)
    {
        using var document = JsonDocument.Parse(json);
        Write(document.RootElement, text);
    }

    public static void Write(JsonElement e, IBufferWriter<byte> text)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(e, text);
                break;
            case JsonValueKind.Array:
                Put(text, (byte)'[');
                var i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    if (i++ > 0) Put(text, (byte)',');
                    Write(item, text);
                }
                Put(text, (byte)']');
                break;
            case JsonValueKind.String:
                // Without a backslash the text as written is already canonical: valid JSON has no
                // raw quote or control character inside a string, so nothing needs escaping.
                var raw = JsonMarshal.GetRawUtf8Value(e);
                if (raw.IndexOf((byte)'\\') < 0) text.Write(raw);
                else String(e.GetString()!, text);
                break;
            case JsonValueKind.Number:
                // jsonb keeps a number's digits; normalise only the exponent form both sides could differ in.
                if (e.TryGetDecimal(out var d))
                {
                    // 40 bytes hold any decimal: 29 digits, a sign, a point and the zeros of a scale of 28.
                    if (!d.TryFormat(text.GetSpan(40), out var written, default, CultureInfo.InvariantCulture))
                        throw new InvalidOperationException($"{d} did not fit in 40 bytes.");
                    text.Advance(written);
                }
                else text.Write(JsonMarshal.GetRawUtf8Value(e));
                break;
            default:
                text.Write(JsonMarshal.GetRawUtf8Value(e)); // true, false, null
                break;
        }
    }

    private static void WriteObject(JsonElement e, IBufferWriter<byte> text)
    {
        var count = e.GetPropertyCount();
        var members = ArrayPool<JsonProperty>.Shared.Rent(count);
        try
        {
            var n = 0;
            var byBytes = true;
            foreach (var property in e.EnumerateObject())
            {
                members[n++] = property;
                byBytes &= ComparableAsBytes(JsonMarshal.GetRawUtf8PropertyName(property));
            }
            Sort(members.AsSpan(0, n), byBytes);
            Put(text, (byte)'{');
            for (var i = 0; i < n; i++)
            {
                if (i > 0) Put(text, (byte)',');
                var name = JsonMarshal.GetRawUtf8PropertyName(members[i]);
                if (name.IndexOf((byte)'\\') < 0)
                {
                    Put(text, (byte)'"');
                    text.Write(name);
                    Put(text, (byte)'"');
                }
                else String(members[i].Name, text);
                Put(text, (byte)':');
                Write(members[i].Value, text);
            }
            Put(text, (byte)'}');
        }
        finally
        {
            ArrayPool<JsonProperty>.Shared.Return(members, clearArray: true);
        }
    }

    // Stable, as the order of equal names must stay as written: an insertion sort for the few
    // members an event's objects have; for a large one Array.Sort (not stable by itself) with
    // each member's position as the tie-break.
    private static void Sort(Span<JsonProperty> members, bool byBytes)
    {
        if (members.Length > 32)
        {
            var order = new (JsonProperty Member, int At)[members.Length];
            for (var i = 0; i < order.Length; i++) order[i] = (members[i], i);
            Array.Sort(order, (a, b) => Compare(a.Member, b.Member, byBytes) is var c and not 0 ? c : a.At.CompareTo(b.At));
            for (var i = 0; i < order.Length; i++) members[i] = order[i].Member;
            return;
        }
        for (var i = 1; i < members.Length; i++)
        {
            var member = members[i];
            var j = i - 1;
            while (j >= 0 && Compare(members[j], member, byBytes) > 0)
            {
                members[j + 1] = members[j];
                j--;
            }
            members[j + 1] = member;
        }
    }

    // UTF-8 bytes sort as UTF-16 code units do, except where a supplementary character (UTF-16
    // surrogates, D800–DFFF) meets one from E000 up; and an escaped name must be read first.
    // Names with lead bytes from 0xEE (U+E000 and beyond) or a backslash are compared as strings.
    private static bool ComparableAsBytes(ReadOnlySpan<byte> name) =>
        name.IndexOf((byte)'\\') < 0 && !name.ContainsAnyInRange((byte)0xEE, (byte)0xFF);

    private static int Compare(JsonProperty a, JsonProperty b, bool byBytes) => byBytes
        ? JsonMarshal.GetRawUtf8PropertyName(a).SequenceCompareTo(JsonMarshal.GetRawUtf8PropertyName(b))
        : string.CompareOrdinal(a.Name, b.Name);

    private static void String(string s, IBufferWriter<byte> text)
    {
        var escaped = new StringBuilder(s.Length + 8);
        escaped.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': escaped.Append("\\\""); break;
                case '\\': escaped.Append("\\\\"); break;
                case '\b': escaped.Append("\\b"); break;
                case '\f': escaped.Append("\\f"); break;
                case '\n': escaped.Append("\\n"); break;
                case '\r': escaped.Append("\\r"); break;
                case '\t': escaped.Append("\\t"); break;
                default:
                    if (c < 0x20) escaped.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else escaped.Append(c);
                    break;
            }
        }
        escaped.Append('"');
        Encoding.UTF8.GetBytes(escaped.ToString(), text);
    }

    private static void Put(IBufferWriter<byte> text, byte b)
    {
        text.GetSpan(1)[0] = b;
        text.Advance(1);
    }
}
