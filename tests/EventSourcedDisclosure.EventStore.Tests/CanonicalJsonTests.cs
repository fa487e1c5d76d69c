using System.Text.Json;
using EventSourcedDisclosure.EventStore.Integrity;

namespace EventSourcedDisclosure.EventStore.Tests;

/// <summary>
/// Events are hashed over their canonical text, so a log whose events were serialized with
/// different escaping (Chinese as \uXXXX before, as itself since) is one chain that verifies.
/// </summary>
public sealed class CanonicalJsonTests
{
    [Fact]
    public void Escaped_and_unescaped_text_of_one_value_have_one_canonical_text()
    {
        var value = new { title = "关于做好政府信息公开工作的通知", note = "<b>&'\"\\" };
        var escaped = JsonSerializer.Serialize(value);
        var unescaped = JsonSerializer.Serialize(value, EventTypeRegistry.Json);

        escaped.ShouldContain("\\u5173"); // 关, as the default encoder writes it
        unescaped.ShouldContain("关于做好");
        CanonicalJson.Of(unescaped).ShouldBe(CanonicalJson.Of(escaped));
    }

    [Fact]
    public void The_event_serializer_still_escapes_what_html_needs_escaped()
    {
        var text = JsonSerializer.Serialize(new { note = "<script>&" }, EventTypeRegistry.Json);

        text.ShouldNotContain("<script>");
        text.ShouldNotContain("&");
    }
}
