using EventSourcedDisclosure.Domain.Statistics;

namespace EventSourcedDisclosure.Reports;

/// <summary>
/// The three tables exactly as the national template lays them out (../shared/domain/REFERENCE.md
/// §3–5): labels word for word, merged header cells, column order.
/// </summary>
public static class TemplateTables
{
    private static GridCell H(string text, int colSpan = 1, int rowSpan = 1) => new(text, true, colSpan, rowSpan);
    private static GridCell V(object value, int colSpan = 1) => new(value.ToString() ?? "", false, colSpan);

    public static ReportGrid Proactive(AnnualTables t)
    {
        var p = t.Proactive;
        object Get(string group, string key) => p[group][key];
        var rows = new List<IReadOnlyList<GridCell>>();
        if (t.Format == "2021")
        {
            rows.Add([H("第二十条第（一）项", 4)]);
            rows.Add([H("信息内容"), H("本年制发件数"), H("本年废止件数"), H("现行有效件数")]);
            rows.Add([H("规章"), V(Get("regulation", "issued")), V(Get("regulation", "repealed")), V(Get("regulation", "inForce"))]);
            rows.Add([H("行政规范性文件"), V(Get("normativeDocument", "issued")), V(Get("normativeDocument", "repealed")), V(Get("normativeDocument", "inForce"))]);
            rows.Add([H("第二十条第（五）项", 4)]);
            rows.Add([H("信息内容"), H("本年处理决定数量", 3)]);
            rows.Add([H("行政许可"), V(Get("licensing", "decisions"), 3)]);
            rows.Add([H("第二十条第（六）项", 4)]);
            rows.Add([H("信息内容"), H("本年处理决定数量", 3)]);
            rows.Add([H("行政处罚"), V(Get("penalty", "decisions"), 3)]);
            rows.Add([H("行政强制"), V(Get("enforcement", "decisions"), 3)]);
            rows.Add([H("第二十条第（八）项", 4)]);
            rows.Add([H("信息内容"), H("本年收费金额（单位：万元）", 3)]);
            rows.Add([H("行政事业性收费"), V(Get("fee", "amountTenThousandYuan"), 3)]);
        }
        else
        {
            rows.Add([H("第二十条第（一）项", 4)]);
            rows.Add([H("信息内容"), H("本年新制作数量"), H("本年新公开数量"), H("对外公开总数量")]);
            rows.Add([H("规章"), V(Get("regulation", "made")), V(Get("regulation", "published")), V(Get("regulation", "totalPublic"))]);
            rows.Add([H("规范性文件"), V(Get("normativeDocument", "made")), V(Get("normativeDocument", "published")), V(Get("normativeDocument", "totalPublic"))]);
            rows.Add([H("第二十条第（五）项", 4)]);
            rows.Add([H("信息内容"), H("上一年项目数量"), H("本年增/减"), H("处理决定数量")]);
            rows.Add([H("行政许可"), V(Get("licensing", "previousYear")), V(Get("licensing", "change")), V(Get("licensing", "decisions"))]);
            rows.Add([H("其他对外管理服务事项"), V(Get("otherServices", "previousYear")), V(Get("otherServices", "change")), V(Get("otherServices", "decisions"))]);
            rows.Add([H("第二十条第（六）项", 4)]);
            rows.Add([H("信息内容"), H("上一年项目数量"), H("本年增/减"), H("处理决定数量")]);
            rows.Add([H("行政处罚"), V(Get("penalty", "previousYear")), V(Get("penalty", "change")), V(Get("penalty", "decisions"))]);
            rows.Add([H("行政强制"), V(Get("enforcement", "previousYear")), V(Get("enforcement", "change")), V(Get("enforcement", "decisions"))]);
            rows.Add([H("第二十条第（八）项", 4)]);
            rows.Add([H("信息内容"), H("上一年项目数量"), H("本年增/减"), H("")]);
            rows.Add([H("行政事业性收费"), V(Get("fee", "previousYear")), V(Get("fee", "change")), V("")]);
            rows.Add([H("第二十条第（九）项", 4)]);
            rows.Add([H("信息内容"), H("采购项目数量"), H("采购总金额"), H("")]);
            rows.Add([H("政府集中采购"), V(Get("procurement", "projects")), V(Get("procurement", "amountTenThousandYuan")), V("")]);
        }
        return new(AnnualReport.Headings[1], 4, rows);
    }

    public static ReportGrid Requests(AnnualTables t)
    {
        var byKey = t.Requests.Rows.ToDictionary(r => r.Key);
        IEnumerable<GridCell> Values(string key) => byKey[key].Values.Select(v => V(v));
        List<IReadOnlyList<GridCell>> rows =
        [
            [H("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), H("申请人情况", 7)],
            [H("自然人", rowSpan: 2), H("法人或其他组织", 5), H("总计", rowSpan: 2)],
            [H("商业企业"), H("科研机构"), H("社会公益组织"), H("法律服务机构"), H("其他")],
            [H(byKey["received"].Label, 3), .. Values("received")],
            [H(byKey["carriedOver"].Label, 3), .. Values("carriedOver")],
        ];
        var results = t.Requests.Rows.SkipWhile(r => r.Key != "disclosed").TakeWhile(r => r.Key != "carriedForward").ToList();
        var first = true;
        foreach (var group in results.GroupBy(r => r.Key.Split('.')[0]))
        {
            var members = group.ToList();
            var numbered = members[0].Key.Contains('.');
            var cells = new List<GridCell>();
            if (first) cells.Add(H(RequestTableLayout.ResultsLabel, rowSpan: results.Count));
            first = false;
            if (numbered)
            {
                var outcome = Enum.Parse<Domain.Requests.Outcome>(group.Key, ignoreCase: true);
                cells.Add(H(RequestTableLayout.GroupLabels[outcome], rowSpan: members.Count));
                cells.Add(H(members[0].Label));
                rows.Add([.. cells, .. Values(members[0].Key)]);
                foreach (var member in members.Skip(1)) rows.Add([H(member.Label), .. Values(member.Key)]);
            }
            else rows.Add([.. cells, H(members[0].Label, 2), .. Values(members[0].Key)]);
        }
        rows.Add([H(byKey["carriedForward"].Label, 3), .. Values("carriedForward")]);
        return new(AnnualReport.Headings[2], 10, rows);
    }

    public static ReportGrid Appeals(AnnualTables t)
    {
        string[] results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
        static IEnumerable<GridCell> Counts(AppealCounts c) => new[] { c.Upheld, c.Corrected, c.Other, c.Pending, c.Total }.Select(v => V(v));
        return new(AnnualReport.Headings[3], 15,
        [
            [H("行政复议", 5), H("行政诉讼", 10)],
            [.. results.Select(r => H(r, rowSpan: 2)), H("未经复议直接起诉", 5), H("复议后起诉", 5)],
            [.. results.Select(r => H(r)), .. results.Select(r => H(r))],
            [.. Counts(t.Appeals.Reconsideration), .. Counts(t.Appeals.LawsuitDirect), .. Counts(t.Appeals.LawsuitAfterReconsideration)],
        ]);
    }
}
