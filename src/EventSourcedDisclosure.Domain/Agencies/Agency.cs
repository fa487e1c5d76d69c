using System.Text.RegularExpressions;
using EventSourcedDisclosure.Domain.Common;

namespace EventSourcedDisclosure.Domain.Agencies;

public sealed record AgencyDetails(
    string Name, string Region, string IndexPrefix, string IndexTemplate, IReadOnlyList<CatalogueCategory> Categories,
    int WithholdingReviewMonths);

public abstract record Agency
{
    public sealed record NotRegistered : Agency;
    public sealed record Registered(string Code, AgencyDetails Details) : Agency;

    public static readonly Agency Initial = new NotRegistered();
}

/// <summary>Register or change an agency (机关); the code is its tenant key and never changes.</summary>
public sealed record RegisterAgency(
    string Code, string? Name, string? Region, string? IndexPrefix, string? IndexTemplate,
    IReadOnlyList<CatalogueCategory>? Categories, DateTimeOffset Now, int? WithholdingReviewMonths = null);

public static partial class AgencyDecider
{
    /// <summary>条例第十八条 定期评估审查 of withheld items: once a year unless the agency sets otherwise.</summary>
    public const int DefaultWithholdingReviewMonths = 12;

    public const string DefaultIndexTemplate = "{prefix}/{year}-{serial:00000}";

    /// <summary>The default 公开目录 categories of ../shared/API.md.</summary>
    public static readonly IReadOnlyList<CatalogueCategory> DefaultCategories =
    [
        new("organisation", "机构职能"), new("policy", "政策文件"), new("planning", "规划计划"), new("finance", "财政信息"),
        new("personnel", "人事信息"), new("lawEnforcement", "行政执法"), new("keyAreas", "重点领域"), new("other", "其他"),
    ];

    public static Guid StreamId(string code) => DeterministicId.For("agency", code);

    public static bool IsValidCode(string? code) => code is not null && Code().IsMatch(code);

    public static IReadOnlyList<object> Decide(RegisterAgency command, Agency state)
    {
        var details = Validate(command);
        return state switch
        {
            Agency.NotRegistered => [new AgencyRegistered(command.Code, details.Name, details.Region,
                details.IndexPrefix, details.IndexTemplate, details.Categories, details.WithholdingReviewMonths, command.Now)],
            Agency.Registered r when Same(r.Details, details) => [],
            Agency.Registered => [new AgencyDetailsChanged(command.Code, details.Name, details.Region,
                details.IndexPrefix, details.IndexTemplate, details.Categories, details.WithholdingReviewMonths, command.Now)],
            _ => throw new InvalidOperationException(state.GetType().Name),
        };
    }

    public static Agency Evolve(Agency state, object @event) => @event switch
    {
        AgencyRegistered e => new Agency.Registered(e.Agency, new(e.Name, e.Region, e.IndexPrefix, e.IndexTemplate, e.Categories, e.WithholdingReviewMonths)),
        AgencyDetailsChanged e => new Agency.Registered(e.Agency, new(e.Name, e.Region, e.IndexPrefix, e.IndexTemplate, e.Categories, e.WithholdingReviewMonths)),
        _ => state,
    };

    private static bool Same(AgencyDetails a, AgencyDetails b) =>
        a with { Categories = [] } == b with { Categories = [] } && a.Categories.SequenceEqual(b.Categories);

    private static AgencyDetails Validate(RegisterAgency c)
    {
        var template = string.IsNullOrWhiteSpace(c.IndexTemplate) ? DefaultIndexTemplate : c.IndexTemplate.Trim();
        var categories = c.Categories is { Count: > 0 } ? c.Categories : DefaultCategories;
        new Validation()
            .Require(IsValidCode(c.Code), "agency", "must be 2–40 characters of a-z, 0-9 and '-'")
            .NotBlank(c.Name, "name", 200)
            .Require(c.Region is not null && Region().IsMatch(c.Region), "region", "must be a 6-digit administrative division code")
            .NotBlank(c.IndexPrefix, "indexPrefix", 40)
            .Require(template.Contains("{serial"), "indexTemplate", "must contain {serial}")
            .Require(c.WithholdingReviewMonths is null or (>= 1 and <= 60), "withholdingReviewMonths", "must be 1–60 months")
            .Require(categories.All(x => x is not null && CategoryCode().IsMatch(x.Code ?? "")),
                "categories", "each code must be letters and digits, starting with a letter")
            .Require(categories.All(x => x is not null && !string.IsNullOrWhiteSpace(x.Label) && x.Label.Length <= 50),
                "categories", "each category needs a label of at most 50 characters")
            .Require(categories.Where(x => x is not null).Select(x => x.Code).Distinct().Count() == categories.Count,
                "categories", "codes must be distinct")
            .ThrowIfAny();
        return new AgencyDetails(c.Name!.Trim(), c.Region!, c.IndexPrefix!.Trim(), template,
            categories.Select(x => new CatalogueCategory(x.Code, x.Label.Trim())).ToList(),
            c.WithholdingReviewMonths ?? DefaultWithholdingReviewMonths);
    }

    [GeneratedRegex("^[a-z0-9-]{2,40}$")] private static partial Regex Code();
    [GeneratedRegex("^[0-9]{6}$")] private static partial Regex Region();
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,39}$")] private static partial Regex CategoryCode();
}
