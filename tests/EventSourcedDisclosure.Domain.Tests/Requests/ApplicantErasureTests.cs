using EventSourcedDisclosure.Domain.Appeals;
using EventSourcedDisclosure.Domain.Requests;
using static EventSourcedDisclosure.Domain.Tests.Requests.RequestFixtures;

namespace EventSourcedDisclosure.Domain.Tests.Requests;

/// <summary>The applicant's data is erased only after the request file's retention period, and once.</summary>
public sealed class ApplicantErasureTests
{
    private static readonly RequestReceived March3 = Received("2025-03-03");
    private static readonly RequestAnswered Answered = new(Id, D("2025-03-20"), Outcome.Disclosed, null, "已提供", [], [], null, false, 0, "clerk");

    private static Func<Request, IReadOnlyList<object>> Erase(string today, int years = 10, string? reason = "保管期限届满") =>
        r => RequestDecider.EraseApplicant(new EraseApplicant(reason, years, "admin", D(today)), r);

    [Fact]
    public void Retention_runs_to_the_end_of_the_tenth_year_after_the_year_the_request_closed()
    {
        Spec.Given(March3, Answered).ThenRejected(Erase("2035-12-31"), ErasureRules.RetentionRunning)
            .Message.ShouldContain("2035-12-31");
        Spec.Given(March3, Answered).ThenEvents(Erase("2036-01-01"),
            new ApplicantErased(Id, D("2036-01-01"), D("2035-12-31"), "保管期限届满", "admin"));
        Spec.Given(March3, Answered).ThenEvents(Erase("2027-01-01", years: 1),
            new ApplicantErased(Id, D("2027-01-01"), D("2026-12-31"), "保管期限届满", "admin"));
    }

    [Fact]
    public void An_open_request_or_an_undecided_appeal_keeps_the_file()
    {
        Spec.Given(March3).ThenRejected(Erase("2040-01-01"), ErasureRules.RetentionRunning);
        var appeal = Guid.NewGuid();
        var filed = new LawsuitFiled(Id, appeal, D("2025-05-01"), false, "clerk");
        Spec.Given(March3, Answered, filed).ThenRejected(Erase("2040-01-01"), ErasureRules.RetentionRunning)
            .Message.ShouldContain("undecided");
        // The retention period then counts from the decision's year.
        var decided = new LawsuitDecided(Id, appeal, D("2027-02-01"), AppealResult.Upheld, "clerk");
        Spec.Given(March3, Answered, filed, decided).ThenRejected(Erase("2037-12-31"), ErasureRules.RetentionRunning);
        Spec.Given(March3, Answered, filed, decided).When(Erase("2038-01-01")).Single().ShouldBeOfType<ApplicantErased>();
    }

    [Fact]
    public void Erasure_needs_a_reason_and_happens_once()
    {
        Spec.Given(March3, Answered).ThenInvalid(Erase("2036-01-01", reason: " "), "reason");
        var erased = new ApplicantErased(Id, D("2036-01-01"), D("2035-12-31"), "保管期限届满", "admin");
        Spec.Given(March3, Answered, erased).ThenRejected(Erase("2036-02-01"), ErasureRules.AlreadyErased);
    }

    [Fact]
    public void The_erased_request_keeps_everything_but_the_applicants_personal_data()
    {
        var erased = new ApplicantErased(Id, D("2036-01-01"), D("2035-12-31"), "保管期限届满", "admin");
        var before = Spec.Given(March3, Answered).State;
        var after = Spec.Given(March3, Answered, erased).State;
        after.Applicant.ShouldBe(new Applicant(ApplicantType.NaturalPerson, null, null, null, null, null));
        after.ApplicantErasedOn.ShouldBe(D("2036-01-01"));
        // Lists compare by reference in records: compare the states as the ledger stores them.
        System.Text.Json.JsonSerializer.Serialize(after with { Applicant = before.Applicant, ApplicantErasedOn = null })
            .ShouldBe(System.Text.Json.JsonSerializer.Serialize(before));
    }
}
