using EventSourcedDisclosure.Domain.Appeals;
using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Requests;
using static EventSourcedDisclosure.Domain.Tests.Requests.RequestFixtures;

namespace EventSourcedDisclosure.Domain.Tests.Requests;

public sealed class AppealDeciderTests
{
    private static readonly Guid Case = Guid.NewGuid();
    private static readonly RequestReceived March3 = Received("2025-03-03");

    [Fact]
    public void A_lawsuit_says_whether_it_follows_a_reconsideration_and_is_decided_once()
    {
        Should.Throw<ValidationFailed>(() => AppealDecider.File(new FileAppeal(Case, AppealKind.Lawsuit, D("2025-04-01"), null, "clerk", Today),
            Spec.Given(March3).State)).Errors.Keys.ShouldBe(["afterReconsideration"]);
        var filed = new LawsuitFiled(Id, Case, D("2025-04-01"), true, "clerk");
        var decided = Decide<LawsuitDecided>(Spec.Given(March3, filed).State,
            r => AppealDecider.Decide(new DecideAppeal(Case, AppealKind.Lawsuit, D("2025-08-01"), "corrected", "clerk", Today), r));
        decided.Result.ShouldBe(AppealResult.Corrected);
        Spec.Given(March3, filed, decided).ThenRejected(
            r => AppealDecider.Decide(new DecideAppeal(Case, AppealKind.Lawsuit, D("2025-09-01"), "upheld", "clerk", Today), r),
            AppealRules.AppealAlreadyDecided);
    }

    [Fact]
    public void Cases_are_filed_after_receipt_and_decided_after_filing()
    {
        Should.Throw<ValidationFailed>(() => AppealDecider.File(new FileAppeal(Case, AppealKind.Reconsideration, D("2025-03-01"), null, "clerk", Today),
            Spec.Given(March3).State)).Errors.Keys.ShouldBe(["filedOn"]);
        var filed = new ReconsiderationFiled(Id, Case, D("2025-04-01"), "clerk");
        Should.Throw<ValidationFailed>(() => AppealDecider.Decide(new DecideAppeal(Case, AppealKind.Reconsideration, D("2025-03-30"), "upheld", "clerk", Today),
            Spec.Given(March3, filed).State)).Errors.Keys.ShouldBe(["decidedOn"]);
        Should.Throw<NotFound>(() => AppealDecider.Decide(new DecideAppeal(Guid.NewGuid(), AppealKind.Reconsideration, D("2025-05-01"), "upheld", "clerk", Today),
            Spec.Given(March3, filed).State));
    }
}
