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
    private const string Columns = """
        index_number, tenant_id, agency_name, title, summary, body, document_number, written_on, published_on, category,
        topic, keywords, genre, channels, valid, repealed_on
        """;

    public static async Task<Page<CatalogueEntry>> SearchAsync(NpgsqlDataSource db, string schema, CatalogueFilter f, CancellationToken ct)
    {
        var paging = Paging.Of(f.Page, f.PageSize);
        var v = new Validation();
        v.Code<Genre>(f.Genre, "genre", required: false);
        v.Require(f.Region is null || RegionCode.IsValid(f.Region), "region", "must be a 6-digit administrative division code")
            .Require(f.Year is null or (>= 1990 and <= 2200), "year", "is not a plausible year")
            .Require(f.Q is null || f.Q.Length <= 100, "q", "is longer than 100 characters").ThrowIfAny();

        // Every whitespace-separated term must occur; its character pairs narrow the rows through the GIN index first.
        var terms = (f.Q ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(Bigrams.Normalize).ToArray();
        await using var command = db.CreateCommand($"""
            select {Columns}, count(*) over () from {schema}.catalogue_entries
             where ($1::date is null and valid_to is null
                    or $1::date is not null and valid_from <= $1 and (valid_to is null or valid_to > $1))
               and ($2::text is null or tenant_id = $2)
               and ($3::text is null or region like $3 || '%')
               and ($4::text is null or category = $4) and ($5::text is null or topic = $5) and ($6::text is null or genre = $6)
               and ($7::int is null or extract(year from published_on) = $7)
               and bigrams @> $8
               and (select bool_and(strpos(search_text, t) > 0) from unnest($9::text[]) t) is not false
             order by (select bool_or(strpos(lower(title), t) > 0) from unnest($9::text[]) t) desc nulls last,
                      published_on desc, index_number desc
             limit $10 offset $11
            """);
        object?[] values =
        [
            f.AsOf, f.Agency, f.Region is null ? null : RegionCode.Prefix(f.Region), f.Category, f.Topic, f.Genre, f.Year,
            Bigrams.Of(terms), terms, paging.PageSize, paging.Offset,
        ];
        NpgsqlDbType[] types =
        [
            NpgsqlDbType.Date, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text,
            NpgsqlDbType.Integer, NpgsqlDbType.Array | NpgsqlDbType.Text, NpgsqlDbType.Array | NpgsqlDbType.Text,
            NpgsqlDbType.Integer, NpgsqlDbType.Integer,
        ];
        for (var i = 0; i < values.Length; i++) command.Parameters.Add(new() { Value = values[i] ?? DBNull.Value, NpgsqlDbType = types[i] });

        var entries = new List<CatalogueEntry>();
        long total = 0;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            entries.Add(Read(reader) with { Body = null }); // lists carry the summary; the entry carries the body
            total = reader.GetInt64(16);
        }
        return paging.Page(entries, total);
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
