namespace EventSourcedDisclosure.Api.Hosting;

public sealed record Page<T>(IReadOnlyList<T> Items, int PageSize, long Total)
{
    [System.Text.Json.Serialization.JsonPropertyName("page")]
    public required int Number { get; init; }

    /// <summary>Set when counting stopped early (a catalogue search): at least <see cref="Total"/> match.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public bool? TotalIsLowerBound { get; init; }
}

/// <summary>?page=1&amp;pageSize=50, at most 500 a page (../shared/API.md).</summary>
public sealed record Paging(int Number, int PageSize)
{
    public const int MaxPageSize = 500;

    public static Paging Of(int? page, int? pageSize)
    {
        var errors = new Domain.Common.Validation()
            .Require(page is null or >= 1, "page", "must be 1 or more")
            .Require(pageSize is null or (>= 1 and <= MaxPageSize), "pageSize", $"must be between 1 and {MaxPageSize}");
        errors.ThrowIfAny();
        return new(page ?? 1, pageSize ?? 50);
    }

    public int Offset => (Number - 1) * PageSize;

    public Page<T> Page<T>(IReadOnlyList<T> items, long total) => new(items, PageSize, total) { Number = Number };
}

public static class ETags
{
    public static IResult WithETag(this IResult result, HttpContext http, long version)
    {
        http.Response.Headers.ETag = $"\"{version}\"";
        return result;
    }
}
