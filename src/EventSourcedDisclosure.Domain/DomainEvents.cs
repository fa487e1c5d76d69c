using EventSourcedDisclosure.Domain.Agencies;
using EventSourcedDisclosure.Domain.Appeals;
using EventSourcedDisclosure.Domain.Calendar;
using EventSourcedDisclosure.Domain.Items;
using EventSourcedDisclosure.Domain.Requests;

namespace EventSourcedDisclosure.Domain;

/// <summary>
/// The one place where event types get their stored names. Names are never changed once
/// released; a new shape gets a new name (".v2") and the old one stays readable.
/// </summary>
public static class DomainEvents
{
    public static readonly IReadOnlyList<(string Name, Type Type)> All =
    [
        ("agency.registered.v1", typeof(AgencyRegistered)),
        ("agency.details-changed.v1", typeof(AgencyDetailsChanged)),
        ("item.drafted.v1", typeof(ItemDrafted)),
        ("item.attribute-assigned.v1", typeof(ItemAttributeAssigned)),
        ("item.reviewed.v1", typeof(ItemReviewed)),
        ("item.approval-given.v1", typeof(ItemApprovalGiven)),
        ("item.published.v1", typeof(ItemPublished)),
        ("item.declassified.v1", typeof(ItemDeclassified)),
        ("item.withholding-confirmed.v1", typeof(ItemWithholdingConfirmed)),
        ("item.revised.v1", typeof(ItemRevised)),
        ("item.repealed.v1", typeof(ItemRepealed)),
        ("index.serial-issued.v1", typeof(IndexSerialIssued)),
        ("calendar.year-set.v1", typeof(CalendarYearSet)),
        ("request.received.v1", typeof(RequestReceived)),
        ("request.correction-requested.v1", typeof(CorrectionRequested)),
        ("request.correction-received.v1", typeof(CorrectionReceived)),
        ("request.consultation-started.v1", typeof(ConsultationStarted)),
        ("request.consultation-replied.v1", typeof(ConsultationReplied)),
        ("request.extended.v1", typeof(RequestExtended)),
        ("request.fee-notice-issued.v1", typeof(FeeNoticeIssued)),
        ("request.fee-paid.v1", typeof(FeePaid)),
        ("request.answered.v1", typeof(RequestAnswered)),
        ("request.deadline-recomputed.v1", typeof(RequestDeadlineRecomputed)),
        ("request.applicant-erased.v1", typeof(ApplicantErased)),
        ("request.reconsideration-filed.v1", typeof(ReconsiderationFiled)),
        ("request.reconsideration-decided.v1", typeof(ReconsiderationDecided)),
        ("request.lawsuit-filed.v1", typeof(LawsuitFiled)),
        ("request.lawsuit-decided.v1", typeof(LawsuitDecided)),
        ("annual-report.text-set.v1", typeof(Reports.AnnualReportTextSet)),
        ("annual-report.published.v1", typeof(Reports.AnnualReportPublished)),
    ];

    /// <summary>
    /// Personal data, by event and JSON path: the store keeps it sealed under a key per request
    /// (crypto-shredding), so that erasing it leaves the immutable log and its chain intact.
    /// The applicant's type stays in the clear: the yearly tables count by it.
    /// </summary>
    public static readonly IReadOnlyList<(string Name, string[] Paths)> PersonalData =
    [
        ("request.received.v1", ["applicant.name", "applicant.idNumber", "applicant.phone", "applicant.address", "applicant.email"]),
    ];

    /// <summary>Events whose append destroys their stream's personal data key.</summary>
    public static readonly IReadOnlyList<string> Erasures = ["request.applicant-erased.v1"];
}
