using EventSourcedDisclosure.Api.Catalogue;
using EventSourcedDisclosure.Domain.Items;
using EventSourcedDisclosure.EventStore;

namespace EventSourcedDisclosure.Api.Tests.Items;

/// <summary>
/// The versions a rebuild writes for one item, from its whole stream (the live statements apply the
/// same rules a row at a time; CatalogueInvariantTests compares the two over random sequences).
/// </summary>
public sealed class CatalogueVersionsTests
{
    private static readonly Guid Item = Guid.NewGuid();
    private static readonly ItemContent Content = new("教育经费公告", "经费", "正文", "隆教〔2025〕1号", new(2025, 3, 1), "办公室", "finance",
        null, ["经费"], Genre.Other, null);

    private static long _sequence = 100;

    private static StoredEvent At(object data) =>
        new(++_sequence, 1, "jy", Item, _sequence, "item.x", data, "{}", """{"actor":"system"}""", DateTimeOffset.UnixEpoch);

    private static ItemPublished Published(int revision, string on, params Channel[] channels) =>
        new(Item, revision, DateOnly.Parse(on), channels, channels, $"JY-2025-{revision}", "教育局", Content with { Title = $"教育经费公告（第{revision}版）" }, null);

    [Fact]
    public void More_channels_widen_the_entry_a_revision_replaces_it_and_a_repeal_keeps_it_listed_as_invalid()
    {
        var stream = new[]
        {
            At(Published(1, "2025-03-05", Channel.Website)),
            At(Published(1, "2025-03-09", Channel.Website, Channel.Wechat)),
            At(Published(2, "2025-04-01", Channel.Website)),
            At(new ItemRepealed(Item, new(2025, 6, 30), "废止", "leader")),
        };

        var versions = CatalogueVersions.Of(stream, _ => "130525");

        versions.Select(v => (v.Revision, v.ValidFrom, v.ValidTo, v.Valid, string.Join(",", v.Channels))).ShouldBe(
        [
            (1, new DateOnly(2025, 3, 5), new DateOnly(2025, 4, 1), true, "website,wechat"),
            (2, new DateOnly(2025, 4, 1), new DateOnly(2025, 6, 30), true, "website"),
            (2, new DateOnly(2025, 6, 30), (DateOnly?)null, false, "website"),
        ]);
        versions.Select(v => v.Seq).ShouldBe([stream[0].Sequence, stream[2].Sequence, stream[3].Sequence]);
        versions[^1].RepealedOn.ShouldBe(new DateOnly(2025, 6, 30));
        versions.ShouldAllBe(v => v.Region == "130525");
    }

    [Fact]
    public void Leaving_proactive_ends_the_entry_never_before_it_began_and_a_later_publication_opens_a_new_one()
    {
        var stream = new[]
        {
            At(Published(1, "2025-03-05", Channel.Website)),
            At(new ItemAttributeAssigned(Item, Disclosure.OnRequest, null, null, false, new(2025, 3, 1), "clerk", null)),
            At(new ItemRepealed(Item, new(2025, 6, 30), "废止", "leader")), // nothing current: nothing to repeal
            At(Published(1, "2025-07-01", Channel.Gazette)),
        };

        var versions = CatalogueVersions.Of(stream, _ => "");

        versions.Select(v => (v.ValidFrom, v.ValidTo, v.Valid)).ShouldBe(
        [
            (new DateOnly(2025, 3, 5), (DateOnly?)new DateOnly(2025, 3, 5), true), // assigned "on 1 March", after it was published: ends where it began
            (new DateOnly(2025, 7, 1), (DateOnly?)null, true),
        ]);
    }
}
