using System.Text.Json;
using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.Domain.Calendar;
using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Items;
using EventSourcedDisclosure.EventStore;
using Npgsql;
using NpgsqlTypes;

namespace EventSourcedDisclosure.Api.Items;

public sealed record ItemFilter(string? Status, string? Category, string? Genre, int? Year, bool? Overdue, bool? ReviewDue, int? Page, int? PageSize);

public static class ItemQueries
{
    public static async Task<(Item? Item, long Version)> FindAsync(NpgsqlDataSource db, string schema, string agency, Guid id, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"select state, version from {schema}.items where tenant_id = $1 and id = $2");
        command.Parameters.Add(new() { Value = agency });
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? (JsonSerializer.Deserialize<Item>(reader.GetString(0), EventTypeRegistry.Json), reader.GetInt64(1))
            : (null, 0);
    }

    /// <summary>Overdue: proactive, not yet published in its current form, past the 20-working-day limit. Review due: withheld, 定期评估审查 date reached.</summary>
    public static async Task<Page<ItemView>> ListAsync(NpgsqlDataSource db, string schema, string agency, ItemFilter f,
        WorkingCalendar calendar, DateOnly today, CancellationToken ct)
    {
        var paging = Paging.Of(f.Page, f.PageSize);
        var v = new Validation();
        v.Code<ItemStatus>(f.Status, "status", required: false);
        v.Code<Genre>(f.Genre, "genre", required: false);
        v.Require(f.Year is null or (>= 1990 and <= 2200), "year", "is not a plausible year").ThrowIfAny();

        await using var command = db.CreateCommand($"""
            select state, version, count(*) over () from {schema}.items
             where tenant_id = $1
               and ($2::text is null or status = $2) and ($3::text is null or category = $3) and ($4::text is null or genre = $4)
               and ($5::int is null or extract(year from written_on) = $5)
               and (not $6 or publication_due_on < $8)
               and (not $7 or review_due_on <= $8)
             order by written_on desc, id desc limit $9 offset $10
            """);
        object?[] values = [agency, f.Status, f.Category, f.Genre, f.Year, f.Overdue ?? false, f.ReviewDue ?? false, today, paging.PageSize, paging.Offset];
        NpgsqlDbType[] types = [NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Integer,
            NpgsqlDbType.Boolean, NpgsqlDbType.Boolean, NpgsqlDbType.Date, NpgsqlDbType.Integer, NpgsqlDbType.Integer];
        for (var i = 0; i < values.Length; i++) command.Parameters.Add(new() { Value = values[i] ?? DBNull.Value, NpgsqlDbType = types[i] });

        var items = new List<ItemView>();
        long total = 0;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var item = JsonSerializer.Deserialize<Item>(reader.GetString(0), EventTypeRegistry.Json)!;
            items.Add(ItemView.Of(item, reader.GetInt64(1), calendar, today));
            total = reader.GetInt64(2);
        }
        return paging.Page(items, total);
    }
}
