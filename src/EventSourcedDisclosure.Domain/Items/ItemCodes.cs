namespace EventSourcedDisclosure.Domain.Items;

/// <summary>公开属性 (条例第十三、十四、十五、十六条).</summary>
public enum Disclosure { Proactive, OnRequest, Withheld }

/// <summary>不予公开 reasons: the rows （三）1–8 of the yearly table.</summary>
public enum WithholdingReason
{
    StateSecret, ProhibitedByLaw, ThreeSafetiesOneStability, ThirdPartyRights,
    InternalAffairs, ProcessInformation, LawEnforcementFile, AdministrativeQuery,
}

/// <summary>体裁: the rows of the yearly table's 主动公开 section, and everything else.</summary>
public enum Genre { Regulation, NormativeDocument, Licensing, Penalty, Enforcement, Fee, Procurement, Other }

public enum Channel { Website, Gazette, Weibo, Wechat, Press, Other }

public enum ReviewOutcome { Cleared, Rejected }

public enum ApprovalOutcome { Approved, Rejected }

public enum ItemStatus { Draft, Reviewed, Approved, Published, Repealed }

/// <summary>Chinese labels, word for word from the regulation and the yearly report format.</summary>
public static class ItemLabels
{
    public static readonly IReadOnlyDictionary<Disclosure, string> Disclosures = new Dictionary<Disclosure, string>
    {
        [Disclosure.Proactive] = "主动公开", [Disclosure.OnRequest] = "依申请公开", [Disclosure.Withheld] = "不予公开",
    };

    public static readonly IReadOnlyDictionary<WithholdingReason, string> WithholdingReasons = new Dictionary<WithholdingReason, string>
    {
        [WithholdingReason.StateSecret] = "属于国家秘密",
        [WithholdingReason.ProhibitedByLaw] = "其他法律行政法规禁止公开",
        [WithholdingReason.ThreeSafetiesOneStability] = "危及“三安全一稳定”",
        [WithholdingReason.ThirdPartyRights] = "保护第三方合法权益",
        [WithholdingReason.InternalAffairs] = "属于三类内部事务信息",
        [WithholdingReason.ProcessInformation] = "属于四类过程性信息",
        [WithholdingReason.LawEnforcementFile] = "属于行政执法案卷",
        [WithholdingReason.AdministrativeQuery] = "属于行政查询事项",
    };

    public static readonly IReadOnlyDictionary<Genre, string> Genres = new Dictionary<Genre, string>
    {
        [Genre.Regulation] = "规章", [Genre.NormativeDocument] = "行政规范性文件", [Genre.Licensing] = "行政许可",
        [Genre.Penalty] = "行政处罚", [Genre.Enforcement] = "行政强制", [Genre.Fee] = "行政事业性收费",
        [Genre.Procurement] = "政府集中采购", [Genre.Other] = "其他",
    };

    public static readonly IReadOnlyDictionary<Channel, string> Channels = new Dictionary<Channel, string>
    {
        [Channel.Website] = "政府网站", [Channel.Gazette] = "政府公报", [Channel.Weibo] = "政务微博",
        [Channel.Wechat] = "政务微信", [Channel.Press] = "新闻发布会", [Channel.Other] = "其他方式",
    };

    public static readonly IReadOnlyDictionary<ItemStatus, string> Statuses = new Dictionary<ItemStatus, string>
    {
        [ItemStatus.Draft] = "拟稿", [ItemStatus.Reviewed] = "已审查", [ItemStatus.Approved] = "已审批",
        [ItemStatus.Published] = "已公开", [ItemStatus.Repealed] = "已废止",
    };
}
