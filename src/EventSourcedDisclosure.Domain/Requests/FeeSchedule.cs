namespace EventSourcedDisclosure.Domain.Requests;

/// <summary>
/// 《政府信息公开信息处理费管理办法》(国办函〔2020〕109号), 超额累进. Per request (第四条): the
/// applicant's requests in one calendar month, 1–10 free, 11–30 at 100元, then each further band of
/// 10 at 100元 more (31–40 at 200元, 41–50 at 300元: our reading of "以10件为一档", REFERENCE.md).
/// Per page (第五条 as published by agencies): 1–30 free, 31–100 at 10元, 101–200 at 20元, 201+ at 40元.
/// </summary>
public static class FeeSchedule
{
    public static decimal Amount(FeeBasis basis, int quantity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(quantity);
        return basis switch
        {
            FeeBasis.PerRequest => Enumerable.Range(1, quantity).Sum(n => PerRequestRate(n)),
            FeeBasis.PerPage => Enumerable.Range(1, quantity).Sum(n => PerPageRate(n)),
            _ => throw new ArgumentOutOfRangeException(nameof(basis)),
        };
    }

    private static decimal PerRequestRate(int n) => n <= 10 ? 0 : n <= 30 ? 100 : 100 + 100 * ((n - 31) / 10 + 1);

    private static decimal PerPageRate(int n) => n <= 30 ? 0 : n <= 100 ? 10 : n <= 200 ? 20 : 40;
}
