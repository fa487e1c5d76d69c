using EventSourcedDisclosure.Api.Catalogue;
using EventSourcedDisclosure.Api.Tests.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace EventSourcedDisclosure.Api.Tests.Items;

/// <summary>A catalogue rebuild copies its pair arrays pre-encoded: PostgreSQL must read back exactly what was encoded.</summary>
public sealed class IntArrayCopyTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Encoded_arrays_copy_into_an_int_array_column_unchanged()
    {
        int[][] arrays = [[], [1], [int.MinValue, -1, 0, 0x4E2D_6587, int.MaxValue], Enumerable.Range(0, 3000).Select(i => i * 7919).ToArray()];
        await using var connection = new NpgsqlConnection(api.Database.ConnectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand("create temporary table copied (n int, pairs int[] not null)", connection))
            await create.ExecuteNonQueryAsync();
        await using (var copy = await connection.BeginBinaryImportAsync("copy copied (n, pairs) from stdin (format binary)"))
        {
            for (var n = 0; n < arrays.Length; n++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(n, NpgsqlDbType.Integer);
                await copy.WriteAsync(IntArrayCopy.Encode(arrays[n]), NpgsqlDbType.Bytea);
            }
            await copy.CompleteAsync();
        }
        await using var read = new NpgsqlCommand("select pairs, cardinality(pairs), array_lower(pairs, 1) from copied order by n", connection);
        await using var reader = await read.ExecuteReaderAsync();
        foreach (var expected in arrays)
        {
            (await reader.ReadAsync()).ShouldBeTrue();
            reader.GetFieldValue<int[]>(0).ShouldBe(expected);
            reader.GetInt32(1).ShouldBe(expected.Length);
            (reader.IsDBNull(2) ? (int?)null : reader.GetInt32(2)).ShouldBe(expected.Length == 0 ? null : 1);
        }
    }
}
