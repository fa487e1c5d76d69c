using EventSourcedDisclosure.Domain.Appeals;
using EventSourcedDisclosure.Domain.Calendar;
using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Items;
using EventSourcedDisclosure.Domain.Requests;
using EventSourcedDisclosure.EventStore;

namespace EventSourcedDisclosure.Api.Demo;

/// <summary>One agency's demo year: each item and request walks its lifecycle through the deciders.</summary>
internal sealed class DemoWork(DemoStreams streams, WorkingCalendar calendar, AgencyContext agency,
    string shortName, int year, DateOnly today, Random random)
{
    private const string Drafter = "demo-drafter", Reviewer = "demo-reviewer", Approver = "demo-approver",
        Publisher = "demo-publisher", Officer = "demo-request-officer";

    private static readonly (Genre Genre, int Weight)[] Genres =
        [(Genre.NormativeDocument, 12), (Genre.Licensing, 25), (Genre.Penalty, 12), (Genre.Enforcement, 4),
         (Genre.Fee, 4), (Genre.Procurement, 5), (Genre.Other, 38)];

    private static readonly string[] Topics = ["教育", "卫生健康", "财政", "安全生产", "乡村振兴", "营商环境", "民生保障"];
    private static readonly string[] Departments = ["办公室", "政策法规股", "财务股", "综合执法队", "审批股"];
    private static readonly string[] Subjects = ["校外培训机构管理", "学生资助", "食品安全", "公共卫生服务", "政务公开", "安全生产", "农村公路养护", "城乡低保"];
    private static readonly string[] Companies = ["隆尧县华强商贸有限公司", "邢台市恒通建筑工程有限公司", "隆尧县惠民医药连锁有限公司", "河北润泽教育科技有限公司"];
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
    private static readonly string[] Given = ["建国", "秀英", "志强", "丽娜", "海涛", "春燕", "文博", "晓东"];

    /// <summary>An item of the year; its id when it ends up in the catalogue.</summary>
    public async Task<Guid?> ItemAsync(int n)
    {
        var genre = Pick(Genres);
        var writtenOn = WorkingDayIn(new DateOnly(year, 1, 4), new DateOnly(year, 11, 30));
        var id = Guid.CreateVersion7();
        var (title, number, amount) = Content(genre, n);
        var disclosure = Chance(80) ? Disclosure.Proactive : Chance(50) ? Disclosure.OnRequest : Disclosure.Withheld;
        var important = genre is Genre.NormativeDocument || (genre is Genre.Other && Chance(10));

        await Item(id, item => ItemDecider.Draft(new DraftItem(id, title, $"{agency.Name}{title}的主要内容。", $"{title}。正文略。", number, writtenOn,
            Departments[random.Next(Departments.Length)], CategoryOf(genre), Topics[random.Next(Topics.Length)], [Topics[random.Next(Topics.Length)]],
            Codes.Of(genre), amount, Drafter, writtenOn), agency), Drafter);
        var assignedOn = After(writtenOn, 1);
        var reason = disclosure == Disclosure.Withheld ? Codes.Of((WithholdingReason)random.Next(0, 8)) : null;
        await Item(id, item => ItemDecider.AssignAttribute(new AssignAttribute(Codes.Of(disclosure), reason,
            reason is null ? "依据《中华人民共和国政府信息公开条例》第十九条" : "依据《中华人民共和国政府信息公开条例》第十四条至第十六条", important, Drafter, assignedOn), item, agency), Drafter);
        var reviewedOn = After(assignedOn, 1);
        await Item(id, item => ItemDecider.Review(new ReviewItem("cleared", "经审查，不涉及国家秘密", Reviewer, reviewedOn), item), Reviewer);
        if (important)
            await Item(id, item => ItemDecider.Approve(new ApproveItem("approved", "同意公开", Approver, After(reviewedOn, 1)), item), Approver);
        if (disclosure == Disclosure.Withheld && Chance(25))
        {
            // 解密: reviewed again, then published.
            var declassifiedOn = After(writtenOn, 30 + random.Next(30));
            if (declassifiedOn > new DateOnly(year, 12, 20)) return null;
            await Item(id, item => ItemDecider.Declassify(new DeclassifyItem(declassifiedOn, "proactive", "保密期限届满，经审查予以解密", Reviewer), item), Reviewer);
            await Item(id, item => ItemDecider.Review(new ReviewItem("cleared", "解密后审查，可以公开", Reviewer, declassifiedOn), item), Reviewer);
            if (important)
                await Item(id, item => ItemDecider.Approve(new ApproveItem("approved", "同意公开", Approver, declassifiedOn), item), Approver);
            await PublishAsync(id, After(declassifiedOn, 2));
            return id;
        }
        if (disclosure != Disclosure.Proactive) return null;
        var publishedOn = After(reviewedOn, 2 + random.Next(10));
        await PublishAsync(id, publishedOn);
        if (genre == Genre.NormativeDocument && Chance(15) && After(publishedOn, 60) is var repealedOn && repealedOn.Year == year)
            await Item(id, item => ItemDecider.Repeal(new RepealItem(repealedOn, "被新文件替代，宣布失效", Approver), item), Approver);
        return id;
    }

    // As the publishing endpoint does: the item and the agency-year's serial, locked in that order, in one transaction.
    private async Task PublishAsync(Guid id, DateOnly publishedOn)
    {
        List<string> channels = ["website"];
        if (Chance(40)) channels.Add("wechat");
        if (Chance(10)) channels.Add("weibo");
        await using var session = await streams.SessionAsync();
        var (item, version) = streams.Peek<Domain.Items.Item>(id);
        var plan = ItemDecider.PlanPublication(new PublishItem(publishedOn, channels, Publisher), item);
        await session.LockStreamAsync(agency.Code, id);
        var counter = IndexNumbers.SerialStreamId(agency.Code, publishedOn.Year);
        var taken = await session.LockStreamAsync(agency.Code, counter);
        var issued = IndexNumbers.Next(agency, publishedOn.Year, taken, id, item.Content!.Category);
        var metadata = new EventMetadata(Publisher, "demo");
        await session.AppendAsync(agency.Code, counter, "index-serials", ExpectedVersion.Exactly(taken), [issued], metadata);
        var events = ItemDecider.Publish(plan, item, agency, issued.IndexNumber);
        await session.AppendAsync(agency.Code, id, "item", ExpectedVersion.Exactly(version), events, metadata);
        await session.CommitAsync();
        streams.Remember(id, events.Aggregate(item, Domain.Items.Item.Evolve), version + events.Count, events.Count + 1);
    }

    /// <summary>A request received in the year, worked to one of the yearly table's outcomes, or left open at the year's end.</summary>
    public async Task RequestAsync(int n, IReadOnlyList<Guid> published)
    {
        var id = Guid.CreateVersion7();
        var openAtYearEnd = n % 25 == 24;
        var receivedOn = openAtYearEnd ? WorkingDayIn(new DateOnly(year, 12, 15), new DateOnly(year, 12, 28)) : WorkingDayIn(new DateOnly(year, 1, 2), new DateOnly(year, 11, 20));
        var (type, applicant) = Applicant();
        var r = await Request(id, _ => RequestDecider.Receive(new ReceiveRequest(id, agency.Code, receivedOn, null, Chance(60) ? "online" : Chance(50) ? "inPerson" : "mail",
            applicant, $"申请公开{year}年度{Subjects[random.Next(Subjects.Length)]}相关文件", Chance(50) ? "学习研究" : null, TrackingCodes.New(), Officer, receivedOn), calendar));
        if (openAtYearEnd)
        {
            // Answered in the new year when that has begun: carried over into the next report.
            var lateAnswer = After(r.Due!.On, -2);
            if (lateAnswer <= today) await AnswerAsync(id, lateAnswer, "disclosed", null);
            return;
        }

        var (outcome, reason) = PickOutcome(n);
        var start = receivedOn;
        if (outcome == "other" && reason == "correctionNotSubmitted")
        {
            var notice = After(receivedOn, 3);
            var correctBy = After(notice, 10);
            await Request(id, x => RequestDecider.RequestCorrection(new RequestCorrection(notice, correctBy, "请补充所需信息的名称、文号", Officer, notice), x, calendar));
            await AnswerAsync(id, After(correctBy, 1), outcome, reason);
            return;
        }
        if ((outcome == "unavailable" && reason == "unclearAfterCorrection") || Chance(10))
        {
            var notice = After(receivedOn, 3);
            await Request(id, x => RequestDecider.RequestCorrection(new RequestCorrection(notice, After(notice, 10), "请明确所需信息的内容描述", Officer, notice), x, calendar));
            start = After(notice, 4);
            await Request(id, x => RequestDecider.ReceiveCorrection(new ReceiveCorrection(start, "申请人已补正", Officer, start), x, calendar));
        }
        if (outcome == "other" && reason == "feeNotPaid")
        {
            var notice = After(start, 4);
            var fee = await Request(id, x => RequestDecider.IssueFeeNotice(new IssueFeeNotice(notice, "perPage", 150, FeeSchedule.Amount(FeeBasis.PerPage, 150), Officer, notice), x, calendar));
            await AnswerAsync(id, After(fee.FeePayBy!.Value, 1), outcome, reason);
            return;
        }
        if (outcome is "disclosed" && Chance(8))
        {
            var notice = After(start, 4);
            var amount = FeeSchedule.Amount(FeeBasis.PerPage, 60);
            await Request(id, x => RequestDecider.IssueFeeNotice(new IssueFeeNotice(notice, "perPage", 60, amount, Officer, notice), x, calendar));
            await Request(id, x => RequestDecider.RecordFeePayment(new RecordFeePayment(After(notice, 2), amount, Officer, After(notice, 2)), x));
        }
        if (outcome is "partiallyDisclosed" or "withheld" && Chance(30))
        {
            var started = After(start, 5);
            await Request(id, x => RequestDecider.StartConsultation(new StartConsultation(started, Companies[random.Next(Companies.Length)], Officer, started), x));
            var replied = After(started, 6);
            await Request(id, x => RequestDecider.RecordConsultationReply(new RecordConsultationReply(replied, "不同意公开涉及本单位商业秘密的部分", Officer, replied), x, calendar));
        }
        var current = streams.Peek<Domain.Requests.Request>(id).State;
        var due = current.Due!.On;
        if (Chance(6))
        {
            var extendedOn = After(due, -2);
            current = await Request(id, x => RequestDecider.Extend(new ExtendRequest(extendedOn, 15, "办公室主任", "需调取档案，正常期限内难以答复", Officer, extendedOn), x, calendar));
            due = current.Due!.On;
        }
        var answeredOn = Chance(4) ? After(due, 2) : Earliest(After(current.CorrectedOn ?? current.Consultations.LastOrDefault()?.RepliedOn ?? start, 2 + random.Next(12)), due);
        var disclosed = outcome is "disclosed" or "partiallyDisclosed" && published.Count > 0 && Chance(40)
            ? new[] { published[random.Next(published.Count)] } : null;
        await AnswerAsync(id, answeredOn, outcome, reason, disclosed);

        if (outcome is "withheld" or "unavailable" or "partiallyDisclosed" && Chance(20))
        {
            var filedOn = After(answeredOn, 15);
            if (filedOn > new DateOnly(year, 12, 31)) return;
            var appeal = Guid.CreateVersion7();
            var reconsideration = Chance(70);
            var kind = reconsideration ? AppealKind.Reconsideration : AppealKind.Lawsuit;
            await Request(id, x => AppealDecider.File(new FileAppeal(appeal, kind, filedOn, reconsideration ? null : Chance(30), Officer, filedOn), x));
            var decidedOn = After(filedOn, 30 + random.Next(20));
            if (decidedOn.Year > year || Chance(20)) return; // still pending at the year's end
            await Request(id, x => AppealDecider.Decide(new DecideAppeal(appeal, kind, decidedOn, Chance(70) ? "upheld" : Chance(60) ? "corrected" : "other", Officer, decidedOn), x));
        }
    }

    private Task<Request> AnswerAsync(Guid id, DateOnly answeredOn, string outcome, string? reason, IReadOnlyList<Guid>? disclosed = null) =>
        Request(id, x => RequestDecider.Answer(new AnswerRequest(answeredOn, outcome, reason, AnswerText(outcome),
            outcome == "partiallyDisclosed" ? [new WithheldPartInput("涉及第三方商业秘密的部分", "thirdPartyRights")] : null,
            disclosed, Officer, answeredOn), x, calendar));

    private static string AnswerText(string outcome) => outcome switch
    {
        "disclosed" => "经审查，您申请的信息属于公开范围，现予提供。",
        "partiallyDisclosed" => "经审查，您申请的信息部分公开，涉及第三方商业秘密的部分不予公开。",
        "withheld" => "经审查，您申请的信息依法不予公开。",
        "unavailable" => "经检索，本机关不掌握或无法提供您申请的信息。",
        "notProcessed" => "您的申请不属于政府信息公开申请的处理范围。",
        _ => "本机关不再处理您的政府信息公开申请。",
    };

    private (string Outcome, string? Reason) PickOutcome(int n)
    {
        var roll = random.Next(100);
        return roll switch
        {
            < 40 => ("disclosed", null),
            < 52 => ("partiallyDisclosed", null),
            < 62 => ("withheld", Codes.Of((WithholdingReason)random.Next(0, 8))),
            < 70 => ("unavailable", "notHeld"),
            < 74 => ("unavailable", "needsCreation"),
            < 77 => ("unavailable", "unclearAfterCorrection"),
            < 85 => ("notProcessed", new[] { "petition", "duplicate", "publication", "massRepeated", "confirmation" }[random.Next(5)]),
            < 90 => ("other", "correctionNotSubmitted"),
            < 94 => ("other", "feeNotPaid"),
            _ => ("other", "other"),
        };
    }

    private (ApplicantType Type, ApplicantInput Input) Applicant()
    {
        var roll = random.Next(100);
        var type = roll < 70 ? ApplicantType.NaturalPerson : roll < 85 ? ApplicantType.Commercial : roll < 90 ? ApplicantType.Research
            : roll < 93 ? ApplicantType.PublicInterest : roll < 98 ? ApplicantType.LegalService : ApplicantType.OtherOrganisation;
        var phone = $"13{random.Next(100_000_000, 999_999_999)}";
        if (type != ApplicantType.NaturalPerson)
            return (type, new ApplicantInput(Codes.Of(type), Companies[random.Next(Companies.Length)], null, phone, "河北省邢台市隆尧县", null));
        var name = Surnames[random.Next(Surnames.Length)] + Given[random.Next(Given.Length)];
        return (type, new ApplicantInput(Codes.Of(type), name, IdNumber(), phone, $"河北省邢台市隆尧县尧城镇{random.Next(1, 200)}号", null));
    }

    // A resident ID of the county with a valid GB 11643 check character (ApplicantValidation checks it).
    private string IdNumber()
    {
        var birth = new DateOnly(1950, 1, 1).AddDays(random.Next(20_000));
        var body = $"130525{birth:yyyyMMdd}{random.Next(0, 1000):000}";
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        return body + "10X98765432"[body.Select((c, i) => (c - '0') * weights[i]).Sum() % 11];
    }

    private (string Title, string? Number, decimal? Amount) Content(Genre genre, int n)
    {
        var subject = Subjects[random.Next(Subjects.Length)];
        return genre switch
        {
            Genre.NormativeDocument => ($"关于印发《{agency.Name}{subject}管理办法》的通知", $"{shortName}发〔{year}〕{n + 1}号", null),
            Genre.Licensing => ($"{Companies[random.Next(Companies.Length)]}行政许可决定", $"{shortName}许〔{year}〕{n + 1}号", null),
            Genre.Penalty => ($"{Companies[random.Next(Companies.Length)]}行政处罚决定书", $"{shortName}罚〔{year}〕{n + 1}号", null),
            Genre.Enforcement => ($"关于{subject}的行政强制措施决定", $"{shortName}强〔{year}〕{n + 1}号", null),
            Genre.Fee => ($"{year}年{subject}行政事业性收费情况公示", null, random.Next(5_000, 200_000)),
            Genre.Procurement => ($"{agency.Name}{subject}项目政府采购结果公告", null, random.Next(100_000, 3_000_000)),
            _ => ($"{agency.Name}{year}年{subject}工作动态（第{n + 1}期）", null, null),
        };
    }

    private static string CategoryOf(Genre genre) => genre switch
    {
        Genre.NormativeDocument or Genre.Regulation => "policy",
        Genre.Licensing or Genre.Penalty or Genre.Enforcement => "lawEnforcement",
        Genre.Fee or Genre.Procurement => "finance",
        _ => "keyAreas",
    };

    private Task<Item> Item(Guid id, Func<Item, IReadOnlyList<object>> decide, string actor) =>
        streams.RunAsync(agency.Code, ItemDecider.StreamId(id), "item", Domain.Items.Item.Initial, Domain.Items.Item.Evolve, decide, actor);

    private Task<Request> Request(Guid id, Func<Request, IReadOnlyList<object>> decide) =>
        streams.RunAsync(agency.Code, id, "request", Domain.Requests.Request.Initial, Domain.Requests.Request.Evolve, decide, Officer);

    private DateOnly After(DateOnly from, int workingDays) =>
        workingDays >= 0 ? calendar.AddWorkingDays(from, workingDays).Date : Before(from, -workingDays);

    private DateOnly Before(DateOnly from, int workingDays)
    {
        var day = from;
        for (var left = workingDays; left > 0;) if (calendar.IsWorkingDay(day = day.AddDays(-1))) left--;
        return day;
    }

    private static DateOnly Earliest(DateOnly a, DateOnly b) => a < b ? a : b;

    private DateOnly WorkingDayIn(DateOnly from, DateOnly to)
    {
        var day = from.AddDays(random.Next(to.DayNumber - from.DayNumber + 1));
        while (!calendar.IsWorkingDay(day)) day = day.AddDays(1);
        return day;
    }

    private bool Chance(int percent) => random.Next(100) < percent;

    private T Pick<T>((T Value, int Weight)[] options)
    {
        var roll = random.Next(options.Sum(o => o.Weight));
        foreach (var (value, weight) in options)
            if ((roll -= weight) < 0) return value;
        return options[^1].Value;
    }
}
