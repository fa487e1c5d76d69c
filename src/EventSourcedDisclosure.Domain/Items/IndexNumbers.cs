using System.Globalization;
using System.Text.RegularExpressions;
using EventSourcedDisclosure.Domain.Common;

namespace EventSourcedDisclosure.Domain.Items;

/// <summary>
/// 索引号: 前段码/后段码 per 《政府信息公开目录系统实施指引（试行）》 by default,
/// "{prefix}/{year}-{serial:00000}" → "000014349/2024-00037". The serial runs per agency and
/// year, on a stream of its own so that concurrent publications get consecutive numbers.
/// </summary>
public static partial class IndexNumbers
{
    public static Guid SerialStreamId(string agency, int year) => DeterministicId.For("index-serials", $"{agency}/{year}");

    /// <summary>The next index number of the agency's year, given how many serials that year has issued.</summary>
    public static IndexSerialIssued Next(AgencyContext agency, int year, long issued, Guid itemId, string category)
    {
        var serial = checked((int)issued + 1);
        return new(agency.Code, year, serial, itemId, Format(agency.IndexTemplate, agency.IndexPrefix, year, serial, category));
    }

    public static string Format(string template, string prefix, int year, int serial, string category) =>
        Token().Replace(template, m => m.Groups["name"].Value switch
        {
            "prefix" => prefix,
            "year" => year.ToString(CultureInfo.InvariantCulture),
            "category" => category,
            "serial" => serial.ToString(m.Groups["format"].Success ? m.Groups["format"].Value : "0", CultureInfo.InvariantCulture),
            _ => m.Value,
        });

    [GeneratedRegex(@"\{(?<name>prefix|year|category|serial)(:(?<format>0+))?\}")]
    private static partial Regex Token();
}
