using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EventSourcedDisclosure.EventStore.Integrity;

namespace EventSourcedDisclosure.EventStore.Tests;

/// <summary>
/// The chain's hashes are recomputed by anyone from docs/audit.md, so the UTF-8 canonical writer
/// must give, byte for byte, what the procedure there gives: checked against a plain reading of
/// it (strings sorted and escaped one by one, the fields joined, then hashed).
/// </summary>
public sealed class CanonicalHashTests
{
    public static TheoryData<string> Documents => new()
    {
        """{"b":1,"a":"x","c":{"z":[3,2,{"y":null,"x":true}],"d":false}}""",
        """{"title":"关于做好政府信息公开工作的通知","note":"\u003Cb\u003E\u0026'\"\\"}""",
        """{"a\u0062c":"\u5173\u4e8e","abd":"tab\there","ab":"line\nbreak\r\f\b\u0001\u001f"}""",
        """{"\uE000":1,"😀":2,"\uFFFF":3,"z":4,"é":5}""",
        "{\"\uE000\":1,\"😀\":2,\"\uFFFD\":3,\"z\":4,\"é\":5,\"\uD7FF\":6}", // as characters, not escapes
        """{"n":[1e3,1.50,-0,0.1,12345678901234567890123456789012,1E400,-2.5e-3,100]}""",
        """[-0.0000000000000000000000000001,-79228162514264337593543950335,-7.9228162514264337593543950335]""",
        """{"same":1,"same":2,"a":{}, "e":[]}""",
        """  [ {"k" : "v"} , "s\/lash" , 7 ]  """,
        "\"just a string\"",
        "123.4500",
        "null",
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public void The_canonical_text_is_the_procedures(string json) =>
        CanonicalJson.Of(json).ShouldBe(Reference.Canonical(json));

    [Fact]
    public void Generated_documents_have_the_procedures_canonical_text()
    {
        for (var seed = 1; seed <= 300; seed++)
        {
            var json = Generate(new Random(seed), depth: 0);
            CanonicalJson.Of(json).ShouldBe(Reference.Canonical(json), $"seed {seed}: {json}");
        }
    }

    [Fact]
    public void A_large_object_is_sorted_as_the_procedure_sorts_it()
    {
        var random = new Random(7);
        var names = Enumerable.Range(0, 500).Select(i => Names[random.Next(Names.Length)] + i % 97).ToList(); // with repeats
        var json = "{" + string.Join(",", names.Select((n, i) => $"{Quote(n, random)}:{i}")) + "}";

        CanonicalJson.Of(json).ShouldBe(Reference.Canonical(json));
    }

    [Fact]
    public void The_hash_is_the_procedures()
    {
        var stream = Guid.Parse("0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
        var at = new DateTimeOffset(2025, 3, 5, 9, 2, 3, TimeSpan.FromHours(8)).AddTicks(1234560);
        for (var seed = 1; seed <= 50; seed++)
        {
            var random = new Random(seed);
            var (data, metadata) = (Generate(random, 0), Generate(random, 1));
            var previous = seed == 1 ? EventHash.Genesis : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

            EventHash.OfJson(previous, "lyxjyj", stream, seed, "item.drafted.v1", data, metadata, at, 1000 + seed)
                .ShouldBe(Reference.Hash(previous, "lyxjyj", stream, seed, "item.drafted.v1", data, metadata, at, 1000 + seed), $"seed {seed}");
        }
    }

    [Fact]
    public void A_hash_over_a_large_event_equals_the_procedures_and_the_next_small_one_still_does()
    {
        var large = JsonSerializer.Serialize(new { body = new string('政', 400_000) }, EventTypeRegistry.Json);
        var small = """{"b":2,"a":1}""";
        var at = DateTimeOffset.UnixEpoch;

        EventHash.OfJson(EventHash.Genesis, "t", Guid.Empty, 1, "x", large, "{}", at, 1)
            .ShouldBe(Reference.Hash(EventHash.Genesis, "t", Guid.Empty, 1, "x", large, "{}", at, 1));
        EventHash.OfJson(EventHash.Genesis, "t", Guid.Empty, 2, "x", small, "{}", at, 2)
            .ShouldBe(Reference.Hash(EventHash.Genesis, "t", Guid.Empty, 2, "x", small, "{}", at, 2));
    }

    // Names and strings from a pool that has what the writer treats apart: escapes, non-ASCII,
    // characters beyond U+E000 and outside the BMP (where UTF-8 and UTF-16 orders differ).
    private static readonly string[] Names = ["a", "b", "aa", "ab", "B", "_", "title", "标题", "é", "\uE000", "\uFFFD", "😀", "a\"b", "x\\y", "tab\t"];
    private static readonly string[] Strings = ["", "plain", "关于", "<b>&'", "quote\"", "back\\slash", "nl\n", "\u0001\u001f", "😀", "\uE123", "/"];

    private static string Generate(Random random, int depth)
    {
        var kind = depth >= 3 ? random.Next(2, 6) : random.Next(0, 6);
        switch (kind)
        {
            case 0:
                var members = Enumerable.Range(0, random.Next(0, 7))
                    .Select(_ => $"{Quote(Names[random.Next(Names.Length)], random)}:{Generate(random, depth + 1)}");
                return "{" + string.Join(",", members) + "}";
            case 1:
                return "[" + string.Join(",", Enumerable.Range(0, random.Next(0, 5)).Select(_ => Generate(random, depth + 1))) + "]";
            case 2:
            case 3:
                return Quote(Strings[random.Next(Strings.Length)], random);
            case 4:
                return random.Next(6) switch
                {
                    0 => "1e2", 1 => "-0.50", 2 => "99999999999999999999999999999999999", 3 => "3.25E-4",
                    _ => random.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture),
                };
            default:
                return random.Next(3) switch { 0 => "true", 1 => "false", _ => "null" };
        }
    }

    // A string as the event serializer writes it, with every character escaped, or with only
    // what JSON requires escaped (everything else as itself, as jsonb gives it back).
    private static string Quote(string s, Random random) => random.Next(3) switch
    {
        0 => JsonSerializer.Serialize(s, EventTypeRegistry.Json),
        1 => "\"" + string.Concat(s.Select(c => $"\\u{(int)c:x4}")) + "\"",
        _ => "\"" + string.Concat(s.Select(c => c is '"' or '\\' or < ' ' ? $"\\u{(int)c:x4}" : c.ToString())) + "\"",
    };

    /// <summary>docs/audit.md, read as plainly as it is written.</summary>
    private static class Reference
    {
        public static string Hash(string previous, string tenant, Guid stream, long version, string type,
            string data, string metadata, DateTimeOffset recordedAt, long position)
        {
            var text = string.Join('\n', previous, tenant, stream.ToString("D"), version.ToString(CultureInfo.InvariantCulture), type,
                Canonical(data), Canonical(metadata),
                recordedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
                position.ToString(CultureInfo.InvariantCulture));
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        }

        public static string Canonical(string json)
        {
            using var document = JsonDocument.Parse(json);
            var text = new StringBuilder();
            Write(document.RootElement, text);
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
                    text.Append('[').AppendJoin(',', e.EnumerateArray().Select(item => { var t = new StringBuilder(); Write(item, t); return t.ToString(); })).Append(']');
                    break;
                case JsonValueKind.String:
                    String(e.GetString()!, text);
                    break;
                case JsonValueKind.Number:
                    text.Append(e.TryGetDecimal(out var d) ? d.ToString(CultureInfo.InvariantCulture) : e.GetRawText());
                    break;
                default:
                    text.Append(e.GetRawText());
                    break;
            }
        }

        private static void String(string s, StringBuilder text)
        {
            text.Append('"');
            foreach (var c in s)
                text.Append(c switch
                {
                    '"' => "\\\"", '\\' => "\\\\", '\b' => "\\b", '\f' => "\\f", '\n' => "\\n", '\r' => "\\r", '\t' => "\\t",
                    < ' ' => $"\\u{(int)c:x4}",
                    _ => c.ToString(),
                });
            text.Append('"');
        }
    }
}
