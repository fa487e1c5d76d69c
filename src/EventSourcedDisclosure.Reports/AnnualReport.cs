using EventSourcedDisclosure.Domain.Statistics;

namespace EventSourcedDisclosure.Reports;

/// <summary>The texts an agency writes for sections 一, 五 and 六.</summary>
public sealed record ReportText(string Overview, string Problems, string Other);

/// <summary>Everything one yearly report shows.</summary>
public sealed record AnnualReport(string AgencyName, int Year, AnnualTables Tables, ReportText Text, decimal FeesCollectedYuan)
{
    public string Title => $"{AgencyName}{Year}年政府信息公开工作年度报告";

    public static readonly IReadOnlyList<string> Headings =
    [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
    ];

    public IReadOnlyList<ReportGrid> Grids => [TemplateTables.Proactive(Tables), TemplateTables.Requests(Tables), TemplateTables.Appeals(Tables)];

    /// <summary>Section 六 with the fees collected (2021 format: "收取信息处理费情况在此处报告").</summary>
    public string OtherText => FeesCollectedYuan > 0
        ? $"{Text.Other}\n本年度共收取信息处理费{FeesCollectedYuan:0.##}元。".Trim()
        : string.IsNullOrWhiteSpace(Text.Other) ? "本年度未收取信息处理费。" : $"{Text.Other}\n本年度未收取信息处理费。";
}
