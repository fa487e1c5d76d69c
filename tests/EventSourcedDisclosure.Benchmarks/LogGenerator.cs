using System.Text;
using System.Text.Json;
using EventSourcedDisclosure.Domain;
using EventSourcedDisclosure.Domain.Agencies;
using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Items;
using EventSourcedDisclosure.EventStore;
using EventSourcedDisclosure.EventStore.Integrity;

namespace EventSourcedDisclosure.Benchmarks;

/// <summary>
/// A large log written straight to an NDJSON export, decided by the item decider and chained and
/// hashed as the store does, so importing it gives a store indistinguishable from one that took
/// every command over HTTP — in seconds instead of hours. Agencies sit in ten counties of one city
/// (1305xx); items are published over 2023–2025 with varied Chinese titles for the search.
/// </summary>
public static class LogGenerator
{
    public const string City = "130500";
    private static readonly string[] Words =
        "教育 经费 投入 学校 食堂 管理 通知 关于 印发 工作 要点 安全 招生 方案 义务 阶段 财政 预算 决算 公开 政府 信息 规划 计划 人事 任免 行政 执法 处罚 许可 收费 采购 项目 统计 公告 年度 报告 实施 意见 办法 规定 加强 推进 改革 发展 建设 服务 保障 质量 标准 农村 城市 教师 学生 卫生 健康 环境 保护 交通 水利 住房 社会 保险 就业 乡村 振兴".Split(' ');
    private static readonly Genre[] Genres = [Genre.NormativeDocument, Genre.Licensing, Genre.Penalty, Genre.Other, Genre.Other, Genre.Licensing];

    public static string AgencyCode(int a) => $"g{a:000}";
    public static string RegionOf(int a) => $"1305{21 + a % 10:00}";

    /// <returns>The number of events written.</returns>
    public static async Task<long> WriteAsync(string file, int agencies, int itemsPerAgency, int firstAgency = 0)
    {
        var registry = new EventTypeRegistry();
        foreach (var (name, type) in DomainEvents.All) registry.Register(type, name);
        await using var output = new StreamWriter(file, false, new UTF8Encoding(false), 1 << 20);
        var sequence = 0L;
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var a = firstAgency; a < firstAgency + agencies; a++)
        {
            var random = new Random(a);
            var code = AgencyCode(a);
            var chain = new Chain(code);
            var metadata = JsonSerializer.Serialize(new EventMetadata($"clerk-{code}", "bench", "bench"), EventTypeRegistry.Json);
            var reviewerMetadata = JsonSerializer.Serialize(new EventMetadata($"reviewer-{code}", "bench", "bench"), EventTypeRegistry.Json);
            async Task Write(Guid stream, string streamType, long version, object e, string meta) =>
                await output.WriteLineAsync(chain.Line(++sequence, stream, streamType, version, registry.NameOf(e.GetType()), registry.Serialize(e), meta,
                    at = at.AddTicks(10)));

            var registered = AgencyDecider.Decide(new RegisterAgency(code, $"第{a}号测试局", RegionOf(a), code, null, null, at), Agency.Initial).Single();
            await Write(AgencyDecider.StreamId(code), "agency", 1, registered, metadata);
            var context = new AgencyContext(code, $"第{a}号测试局", code, AgencyDecider.DefaultIndexTemplate, AgencyDecider.DefaultCategories.Select(c => c.Code).ToList());
            var serials = new Dictionary<int, long>();
            for (var n = 0; n < itemsPerAgency; n++)
            {
                var year = 2023 + n % 3;
                var on = new DateOnly(year, 1 + random.Next(11), 1 + random.Next(27));
                var id = Guid.CreateVersion7();
                var genre = Genres[random.Next(Genres.Length)];
                var title = $"{year}年" + string.Concat(Enumerable.Range(0, 6).Select(_ => Words[random.Next(Words.Length)]));
                var item = Item.Initial;
                var version = 0L;
                async Task Decide(IReadOnlyList<object> events, string meta)
                {
                    foreach (var e in events)
                    {
                        await Write(id, "item", ++version, e, meta);
                        item = Item.Evolve(item, e);
                    }
                }
                await Decide(ItemDecider.Draft(new DraftItem(id, title, string.Concat(Enumerable.Range(0, 12).Select(_ => Words[random.Next(Words.Length)])),
                    string.Concat(Enumerable.Range(0, 60).Select(_ => Words[random.Next(Words.Length)])), $"{code}〔{year}〕{n}号", on, "办公室",
                    genre == Genre.NormativeDocument ? "policy" : genre == Genre.Other ? "keyAreas" : "lawEnforcement", null, null, Codes.Of(genre), null,
                    $"clerk-{code}", on), context), metadata);
                await Decide(ItemDecider.AssignAttribute(new AssignAttribute("proactive", null, "条例第十九条", false, $"clerk-{code}", on), item, context), metadata);
                await Decide(ItemDecider.Review(new ReviewItem("cleared", "不涉密", $"reviewer-{code}", on), item), reviewerMetadata);
                var publishedOn = on.AddDays(3);
                var plan = ItemDecider.PlanPublication(new PublishItem(publishedOn, ["website"], $"clerk-{code}"), item);
                var taken = serials.GetValueOrDefault(publishedOn.Year);
                var issued = IndexNumbers.Next(context, publishedOn.Year, taken, id, item.Content!.Category);
                serials[publishedOn.Year] = taken + 1;
                await Write(IndexNumbers.SerialStreamId(code, publishedOn.Year), "index-serials", taken + 1, issued, metadata);
                await Decide(ItemDecider.Publish(plan, item, context, issued.IndexNumber), metadata);
            }
        }
        return sequence;
    }

    // One tenant's hash chain, as EventSession extends it (docs/audit.md).
    private sealed class Chain(string tenant)
    {
        private string _previous = EventHash.Genesis;
        private long _position;

        public string Line(long sequence, Guid stream, string streamType, long version, string type, string data, string metadata, DateTimeOffset at)
        {
            var recordedAt = EventHash.ToMicroseconds(at);
            _previous = EventHash.OfJson(_previous, tenant, stream, version, type, data, metadata, recordedAt, ++_position);
            return $"{{\"sequence\":{sequence},\"agency\":\"{tenant}\",\"stream\":\"{stream}\",\"streamType\":\"{streamType}\",\"version\":{version}," +
                $"\"type\":\"{type}\",\"data\":{data},\"metadata\":{metadata},\"recordedAt\":\"{EventHash.Instant(recordedAt)}\"," +
                $"\"chainPosition\":{_position},\"hash\":\"{_previous}\"}}";
        }
    }
}
