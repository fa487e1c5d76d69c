using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Items;
using Npgsql;
using NpgsqlTypes;

namespace EventSourcedDisclosure.Api.Catalogue;

public sealed record CatalogueEntry(
    string IndexNumber, string Agency, string AgencyName, string Title, string Summary, string? Body, string? DocumentNumber,
    DateOnly WrittenOn, DateOnly PublishedOn, string Category, string? Topic, IReadOnlyList<string> Keywords, string Genre,
    IReadOnlyList<string> Channels, bool Valid, DateOnly? RepealedOn);

public static class CatalogueQueries
{
    // What a term is looked for in: the lowercased copy where one is kept, else the columns as
    // CatalogueVersions.SearchedText joins them (nothing in them to lowercase).
    private const string Searched =
        "coalesce(search_text, title || E'\\n' || coalesce(document_number, '') || E'\\n' || summary || E'\\n' || coalesce(body, ''))";

    // Lists carry the summary; the entry carries the body.
    private static readonly string ListColumns = Columns.Replace("body,", "null::text as body,");

    private const string Columns = """
        index_number, tenant_id, agency_name, title, summary, body, document_number, written_on, published_on, category,
        topic, keywords, genre, channels, valid, repealed_on
        """;

    /// <summary>How many matches a search counts before its total becomes a lower bound.</summary>
    public const int DefaultSearchCountLimit = 1_000;

    public static async Task<Page<CatalogueEntry>> SearchAsync(NpgsqlDataSource db, string schema, CatalogueFilter f, CancellationToken ct,
        int searchCountLimit = DefaultSearchCountLimit)
    {
        var paging = Paging.Of(f.Page, f.PageSize);
        var v = new Validation();
        v.Code<Genre>(f.Genre, "genre", required: false);
        v.Require(f.Region is null || RegionCode.IsValid(f.Region), "region", "must be a 6-digit administrative division code")
            .Require(f.Year is null or (>= 1990 and <= 2200), "year", "is not a plausible year")
            .Require(f.Q is null || f.Q.Length <= 100, "q", "is longer than 100 characters").ThrowIfAny();

        // Only the filters given become conditions, so each shape of query gets a plan of its own
        // (an index for the agency's newest entries, the bigram index for a search). The page and
        // its total are two queries: a window count would build every matching row, body and all.
        var terms = (f.Q ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(Bigrams.Normalize).ToArray();
        var parameters = new List<NpgsqlParameter>();
        string P(object value, NpgsqlDbType type)
        {
            parameters.Add(new() { Value = value, NpgsqlDbType = type });
            return $"${parameters.Count}";
        }
        var where = new List<string>();
        if (f.AsOf is { } asOf)
        {
            var day = P(asOf, NpgsqlDbType.Date);
            where.Add($"valid_from <= {day} and (valid_to is null or valid_to > {day})");
        }
        else where.Add("valid_to is null");
        if (f.Agency is { } agency) where.Add($"tenant_id = {P(agency, NpgsqlDbType.Text)}");
        if (f.Region is { } region) where.Add($"region like {P(RegionCode.Prefix(region) + "%", NpgsqlDbType.Text)}");
        if (f.Category is { } category) where.Add($"category = {P(category, NpgsqlDbType.Text)}");
        if (f.Topic is { } topic) where.Add($"topic = {P(topic, NpgsqlDbType.Text)}");
        if (f.Genre is { } genre) where.Add($"genre = {P(genre, NpgsqlDbType.Text)}");
        if (f.Year is { } year)
            where.Add($"published_on between {P(new DateOnly(year, 1, 1), NpgsqlDbType.Date)} and {P(new DateOnly(year, 12, 31), NpgsqlDbType.Date)}");
        const string newest = "published_on desc, index_number desc";
        string? inTitle = null, titleCondition = null;
        if (terms.Length > 0)
        {
            var bigrams = Bigrams.Of(terms);
            var pairs = bigrams.Length > 0 ? P(bigrams, NpgsqlDbType.Array | NpgsqlDbType.Integer) : null;
            if (pairs is not null) where.Add($"bigrams @> {pairs}");
            var t = P(terms, NpgsqlDbType.Array | NpgsqlDbType.Text);
            // A two-character term is one bigram: the index alone decides it. Longer ones are checked as substrings.
            if (terms.Any(term => term.Length != 2 || term.Any(char.IsWhiteSpace)) || bigrams.Length == 0)
                where.Add($"(select bool_and(strpos({Searched}, t) > 0) from unnest({t}::text[]) t)");
            inTitle = $"(select bool_or(strpos(lower(title), t) > 0) from unnest({t}::text[]) t)";
            // One term: a title hit holds all its pairs in the title's own array, cheap to test on a
            // walk through the newest entries and indexed for a rare term.
            if (terms.Length == 1 && pairs is not null && f.AsOf is null)
                titleCondition = $"title_bigrams @> {pairs} and {inTitle}";
        }
        var condition = string.Join(" and ", where);
        var filters = parameters.Count;
        var (limit, offset) = (P(paging.PageSize, NpgsqlDbType.Integer), P(paging.Offset, NpgsqlDbType.Integer));
        // Title hits rank first. As two newest-first parts each cut at the page's end, a term found
        // in most entries is answered by walking the newest ones, not by ranking every match.
        var sql = inTitle is null
            ? $"select {ListColumns} from {schema}.catalogue_entries where {condition} order by {newest} limit {limit} offset {offset}"
            : $"""
              select * from (
                (select {ListColumns}, 0 as title_rank from {schema}.catalogue_entries where {condition} and {titleCondition ?? inTitle}
                  order by {newest} limit {limit} + {offset})
                union all
                (select {ListColumns}, 1 from {schema}.catalogue_entries where {condition} and not {inTitle}
                  order by {newest} limit {limit} + {offset})
              ) hits order by title_rank, {newest} limit {limit} offset {offset}
              """;

        var entries = new List<CatalogueEntry>();
        await using (var page = db.CreateCommand(sql))
        {
            page.Parameters.AddRange(parameters.Select(p => p.Clone()).ToArray());
            await using var reader = await page.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) entries.Add(Read(reader));
        }
        // A page short of full on the first page is the whole answer: no count needed.
        long total;
        var lowerBound = false;
        if (paging.Offset == 0 && entries.Count < paging.PageSize) total = entries.Count;
        else if (f is { AsOf: null, Category: null, Topic: null, Genre: null, Year: null } && inTitle is null)
        {
            // Today's catalogue of an agency, a region or everything: the kept counts (CatalogueProjection).
            var counted = new List<string> { "true" };
            var countParameters = new List<NpgsqlParameter>();
            if (f.Agency is { } a) { countParameters.Add(new() { Value = a }); counted.Add($"tenant_id = ${countParameters.Count}"); }
            if (f.Region is { } r) { countParameters.Add(new() { Value = RegionCode.Prefix(r) + "%" }); counted.Add($"region like ${countParameters.Count}"); }
            await using var count = db.CreateCommand(
                $"select coalesce(sum(current), 0)::bigint from {schema}.catalogue_counts where {string.Join(" and ", counted)}");
            count.Parameters.AddRange(countParameters.ToArray());
            total = (long)(await count.ExecuteScalarAsync(ct))!;
        }
        else if (inTitle is null)
        {
            await using var count = db.CreateCommand($"select count(*) from {schema}.catalogue_entries where {condition}");
            count.Parameters.AddRange(parameters.Take(filters).Select(p => p.Clone()).ToArray());
            total = (long)(await count.ExecuteScalarAsync(ct))!;
        }
        else
        {
            // A search counts its matches up to a limit (and past the page asked for): a common
            // term's exact total would read every entry holding it. Beyond it the total is "at least".
            var cap = Math.Max(searchCountLimit, paging.Offset + paging.PageSize);
            await using var count = db.CreateCommand(
                $"select count(*) from (select from {schema}.catalogue_entries where {condition} limit {cap + 1}) hits");
            count.Parameters.AddRange(parameters.Take(filters).Select(p => p.Clone()).ToArray());
            total = (long)(await count.ExecuteScalarAsync(ct))!;
            lowerBound = total > cap;
        }
        return paging.Page(entries, total) with { TotalIsLowerBound = lowerBound ? true : null };
    }

    public static async Task<CatalogueEntry?> FindAsync(NpgsqlDataSource db, string schema, string indexNumber, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            $"select {Columns} from {schema}.catalogue_entries where index_number = $1 and valid_to is null");
        command.Parameters.Add(new() { Value = indexNumber });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    private static CatalogueEntry Read(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6),
        r.GetFieldValue<DateOnly>(7), r.GetFieldValue<DateOnly>(8), r.GetString(9), r.IsDBNull(10) ? null : r.GetString(10),
        r.GetFieldValue<string[]>(11), r.GetString(12), r.GetFieldValue<string[]>(13), r.GetBoolean(14),
        r.IsDBNull(15) ? null : r.GetFieldValue<DateOnly>(15));
}
