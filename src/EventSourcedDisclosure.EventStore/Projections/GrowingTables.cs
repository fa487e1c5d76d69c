using Npgsql;

namespace EventSourcedDisclosure.EventStore.Projections;

/// <summary>
/// Plans for a transaction that grows read-model tables fast: a rebuild, or a daemon catching
/// up. A generic plan made while a table looked empty (it was analyzed so, or planned before the
/// rows came) scans the whole table for every row it looks up: statistics took 22 s instead of
/// 3.5 s for 150,000 events. Planning every statement anew (force_custom_plan) cured that but
/// cost a tenth of the catch-up; instead the cached plans are dropped and made again here with
/// sequential scans priced out, which a read model's lookups by key never need. The setting
/// ends with the transaction; the plans made under it stay index lookups, which is what they are.
/// </summary>
public static class GrowingTables
{
    public static async Task PlanForAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("set local enable_seqscan = off; discard plans", connection, tx);
        await command.ExecuteNonQueryAsync(ct);
    }
}
