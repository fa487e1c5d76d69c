using EventSourcedDisclosure.Domain.Items;

namespace EventSourcedDisclosure.Domain.Requests;

public enum RequestChannel { InPerson, Online, Mail, Fax, Email, Other }

/// <summary>The columns of the yearly table: 自然人, then the kinds of 法人或其他组织.</summary>
public enum ApplicantType { NaturalPerson, Commercial, Research, PublicInterest, LegalService, OtherOrganisation }

/// <summary>The groups of rows （一）–（六） of 三、本年度办理结果.</summary>
public enum Outcome { Disclosed, PartiallyDisclosed, Withheld, Unavailable, NotProcessed, Other }

public enum FeeBasis { PerRequest, PerPage }

public enum RequestStatus { Open, AwaitingCorrection, Paused, Closed }

/// <summary>The sub-rows of each outcome, as API codes, with the format's labels word for word.</summary>
public static class OutcomeReasons
{
    public static readonly IReadOnlyDictionary<Outcome, IReadOnlyDictionary<string, string>> ByOutcome =
        new Dictionary<Outcome, IReadOnlyDictionary<string, string>>
        {
            [Outcome.Disclosed] = new Dictionary<string, string>(),
            [Outcome.PartiallyDisclosed] = new Dictionary<string, string>(),
            [Outcome.Withheld] = ItemLabels.WithholdingReasons.ToDictionary(r => Common.Codes.Of(r.Key), r => r.Value),
            [Outcome.Unavailable] = new Dictionary<string, string>
            {
                ["notHeld"] = "本机关不掌握相关政府信息",
                ["needsCreation"] = "没有现成信息需要另行制作",
                ["unclearAfterCorrection"] = "补正后申请内容仍不明确",
            },
            [Outcome.NotProcessed] = new Dictionary<string, string>
            {
                ["petition"] = "信访举报投诉类申请",
                ["duplicate"] = "重复申请",
                ["publication"] = "要求提供公开出版物",
                ["massRepeated"] = "无正当理由大量反复申请",
                ["confirmation"] = "要求行政机关确认或重新出具已获取信息",
            },
            [Outcome.Other] = new Dictionary<string, string>
            {
                ["correctionNotSubmitted"] = "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                ["feeNotPaid"] = "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                ["other"] = "其他",
            },
        };

    public static readonly IReadOnlyDictionary<Outcome, string> Labels = new Dictionary<Outcome, string>
    {
        [Outcome.Disclosed] = "予以公开", [Outcome.PartiallyDisclosed] = "部分公开（区分处理的，只计这一情形，不计其他情形）",
        [Outcome.Withheld] = "不予公开", [Outcome.Unavailable] = "无法提供", [Outcome.NotProcessed] = "不予处理",
        [Outcome.Other] = "其他处理",
    };

    public static readonly IReadOnlyDictionary<ApplicantType, string> ApplicantLabels = new Dictionary<ApplicantType, string>
    {
        [ApplicantType.NaturalPerson] = "自然人", [ApplicantType.Commercial] = "商业企业", [ApplicantType.Research] = "科研机构",
        [ApplicantType.PublicInterest] = "社会公益组织", [ApplicantType.LegalService] = "法律服务机构",
        [ApplicantType.OtherOrganisation] = "其他",
    };

    /// <summary>条例第三十一条: which day counts as the day of receipt, by channel.</summary>
    public static readonly IReadOnlyDictionary<RequestChannel, string> ReceiptRules = new Dictionary<RequestChannel, string>
    {
        [RequestChannel.InPerson] = "第三十一条（一）：当面提交的，以提交之日为收到申请之日",
        [RequestChannel.Mail] = "第三十一条（二）：邮寄提交的，以行政机关签收之日为收到申请之日",
        [RequestChannel.Online] = "第三十一条（三）：通过互联网渠道提交的，以双方确认之日为收到申请之日",
        [RequestChannel.Fax] = "第三十一条（三）：通过传真提交的，以双方确认之日为收到申请之日",
        [RequestChannel.Email] = "第三十一条（三）：通过互联网渠道（电子邮件）提交的，以双方确认之日为收到申请之日",
        [RequestChannel.Other] = "第三十一条：以行政机关确认收到之日为收到申请之日",
    };

    public static bool HasSubRows(Outcome outcome) => ByOutcome[outcome].Count > 0;
}
