namespace EventSourcedDisclosure.Domain.Common;

/// <summary>
/// Administrative division codes (行政区划代码): 130000 province, 130500 city, 130525 county. A
/// region contains every code that starts with its significant digits.
/// </summary>
public static class RegionCode
{
    public static bool IsValid(string? code) => code is { Length: 6 } && code.All(char.IsAsciiDigit);

    public static string Prefix(string code)
    {
        var prefix = code;
        for (var i = 0; i < 2 && prefix.EndsWith("00", StringComparison.Ordinal); i++) prefix = prefix[..^2];
        return prefix;
    }
}
