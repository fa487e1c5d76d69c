using EventSourcedDisclosure.Api.Tests.Infrastructure;

namespace EventSourcedDisclosure.Api.Tests.Items;

/// <summary>Bad input is 400 with the fields named, and nothing is appended.</summary>
public sealed class ItemInputTests(ApiFactory api) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private readonly ItemSteps _s = new(api, "input");

    public Task InitializeAsync() => _s.RegisterAgencyAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string> BadDrafts => new()
    {
        { """{"summary":"概述","writtenOn":"2025-03-03","department":"办公室","category":"policy","genre":"other"}""", "title" },
        { """{"title":"标题","summary":"概述","writtenOn":"2025-03-03","department":"办公室","category":"sports","genre":"other"}""", "category" },
        { """{"title":"标题","summary":"概述","writtenOn":"2025-03-03","department":"办公室","category":"policy","genre":"poem"}""", "genre" },
        { """{"title":"标题","summary":"概述","writtenOn":"2025-02-30","department":"办公室","category":"policy","genre":"other"}""", "writtenOn" },
        { """{"title":"标题","summary":"概述","writtenOn":"2025-03-03","department":"办公室","category":"policy","genre":"fee"}""", "amount" },
    };

    [Theory]
    [MemberData(nameof(BadDrafts))]
    public async Task A_bad_draft_is_400_naming_the_field(string json, string field)
    {
        var before = (await api.ReadAsync("input")).Count;
        var response = await _s.Drafter.PostAsync(_s.Items, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        await response.ShouldBeProblemAsync(400);
        (await response.BodyAsync())["errors"]!.AsObject().Select(e => e.Key).ShouldContain(field);
        (await api.ReadAsync("input")).Count.ShouldBe(before);
    }

    [Fact]
    public async Task A_3_MB_body_is_400()
    {
        var before = (await api.ReadAsync("input")).Count;
        var response = await _s.Drafter.SendJsonAsync(HttpMethod.Post, _s.Items, ItemSteps.Draft(body: new string('文', 1_000_000) + new string('x', 100)));
        await response.ShouldBeProblemAsync(400);
        (await response.BodyAsync())["errors"]!["body"].ShouldNotBeNull();
        (await api.ReadAsync("input")).Count.ShouldBe(before);
    }

    [Fact]
    public async Task Unknown_codes_in_commands_are_400()
    {
        var id = await _s.DraftAsync();
        await (await _s.PostAsync(_s.Drafter, id, "attribute", new { disclosure = "secret", important = false })).ShouldBeProblemAsync(400);
        await _s.AttributeAsync(id);
        await _s.ReviewAsync(id);
        var response = await _s.PostAsync(_s.Drafter, id, "publication", new { publishedOn = "2025-03-05", channels = new[] { "tiktok" } });
        await response.ShouldBeProblemAsync(400);
        (await response.BodyAsync())["errors"]!["channels"].ShouldNotBeNull();
    }
}
