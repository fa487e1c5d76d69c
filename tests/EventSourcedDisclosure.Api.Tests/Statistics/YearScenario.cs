namespace EventSourcedDisclosure.Api.Tests.Statistics;

/// <summary>
/// A year of work described as plain data, from which the test drives the API and, separately,
/// works out the tables it expects: the expectation never looks at the projection's code.
/// </summary>
public sealed record RequestCase(string Agency, string ApplicantType, DateOnly ReceivedOn, DateOnly? AnsweredOn, string? Outcome, string? Reason,
    string? History, bool Extended, bool Consulted);

public sealed record ItemCase(string Agency, string Genre, DateOnly WrittenOn, DateOnly? PublishedOn, string[] Channels, DateOnly? RepealedOn,
    decimal? Amount, bool Declassified);

public sealed record AppealCase(int RequestIndex, string Kind, bool AfterReconsideration, DateOnly FiledOn, DateOnly? DecidedOn, string? Result);

public static class YearScenario
{
    public static readonly string[] ApplicantTypes = ["naturalPerson", "commercial", "research", "publicInterest", "legalService", "otherOrganisation"];

    public static readonly (string Outcome, string? Reason)[] Answers =
    [
        ("disclosed", null), ("partiallyDisclosed", null),
        ("withheld", "stateSecret"), ("withheld", "prohibitedByLaw"), ("withheld", "threeSafetiesOneStability"), ("withheld", "thirdPartyRights"),
        ("withheld", "internalAffairs"), ("withheld", "processInformation"), ("withheld", "lawEnforcementFile"), ("withheld", "administrativeQuery"),
        ("unavailable", "notHeld"), ("unavailable", "needsCreation"), ("unavailable", "unclearAfterCorrection"),
        ("notProcessed", "petition"), ("notProcessed", "duplicate"), ("notProcessed", "publication"), ("notProcessed", "massRepeated"),
        ("notProcessed", "confirmation"),
        ("other", "correctionNotSubmitted"), ("other", "feeNotPaid"), ("other", "other"),
    ];

    public static (List<RequestCase> Requests, List<ItemCase> Items, List<AppealCase> Appeals) Build(string[] agencies, int seed)
    {
        var random = new Random(seed);
        var requests = new List<RequestCase>();
        DateOnly Day(int year, int fromMonth = 1, int toMonth = 12) =>
            new DateOnly(year, random.Next(fromMonth, toMonth + 1), 1).AddDays(random.Next(0, 25));

        // Every answer row in every applicant column, answered within 2025.
        var n = 0;
        foreach (var (outcome, reason) in Answers.Concat(Answers))
            foreach (var type in ApplicantTypes)
            {
                var received = Day(2025, 1, 9);
                var history = reason switch
                {
                    "correctionNotSubmitted" => "lapsedCorrection", "unclearAfterCorrection" => "correction", "feeNotPaid" => "lapsedFee", _ => null,
                };
                var answered = received.AddDays(history is "lapsedCorrection" or "lapsedFee" ? 60 : 15);
                requests.Add(new(agencies[n++ % agencies.Length], type, received, answered, outcome, reason, history, n % 7 == 0, n % 11 == 0));
            }
        // Carried over into 2025: received late in 2024, answered in 2025; and some answered within 2024 (not in 2025's tables).
        for (var i = 0; i < 60; i++)
        {
            var received = new DateOnly(2024, 12, 2).AddDays(random.Next(0, 20));
            var answered = i % 3 == 0 ? new DateOnly(2024, 12, 27) : new DateOnly(2025, 1, 6).AddDays(random.Next(0, 20));
            var (outcome, reason) = Answers[random.Next(0, 12)]; // answers that need no history
            requests.Add(new(agencies[i % agencies.Length], ApplicantTypes[i % 6], received, answered, outcome, reason, null, false, false));
        }
        // Carried forward out of 2025: received in December, answered in 2026 or still open.
        for (var i = 0; i < 50; i++)
        {
            var received = new DateOnly(2025, 12, 1).AddDays(random.Next(0, 30));
            DateOnly? answered = i % 2 == 0 ? new DateOnly(2026, 1, 12) : null;
            requests.Add(new(agencies[i % agencies.Length], ApplicantTypes[(i + 3) % 6], received, answered, answered is null ? null : "disclosed",
                null, null, i % 5 == 0, false));
        }

        var items = new List<ItemCase>();
        string[] genres = ["regulation", "normativeDocument", "licensing", "penalty", "enforcement", "fee", "procurement", "other"];
        for (var i = 0; i < 48; i++)
        {
            var genre = genres[i % genres.Length];
            var written = i % 6 == 0 ? Day(2024, 9, 11) : Day(2025, 1, 10);
            DateOnly? published = i % 5 == 4 ? null : written.AddDays(10);
            DateOnly? repealed = published is not null && i % 4 == 1 ? published.Value.AddDays(40) : null;
            var channels = (i % 3) switch { 0 => new[] { "website" }, 1 => ["website", "wechat"], _ => ["gazette", "weibo", "press"] };
            items.Add(new(agencies[i % agencies.Length], genre, written, published, channels, repealed,
                genre is "fee" or "procurement" ? 12345.67m + i : null, i % 8 == 3));
        }

        // On requests carried over from December 2024 and answered in January 2025 (indexes 127, 128, 130, …).
        var carried = 2 * Answers.Length * ApplicantTypes.Length;
        var appeals = new List<AppealCase>
        {
            new(carried + 1, "reconsideration", false, new DateOnly(2025, 3, 10), new DateOnly(2025, 5, 10), "upheld"),
            new(carried + 2, "reconsideration", false, new DateOnly(2025, 4, 10), new DateOnly(2025, 6, 10), "corrected"),
            new(carried + 4, "reconsideration", false, new DateOnly(2025, 11, 10), new DateOnly(2026, 1, 10), "other"), // pending at 31 Dec
            new(carried + 5, "reconsideration", false, new DateOnly(2025, 12, 1), null, null),
            new(carried + 7, "lawsuit", false, new DateOnly(2025, 5, 10), new DateOnly(2025, 9, 10), "upheld"),
            new(carried + 8, "lawsuit", false, new DateOnly(2025, 6, 10), null, null),
            new(carried + 1, "lawsuit", true, new DateOnly(2025, 6, 1), new DateOnly(2025, 10, 1), "corrected"),
            new(carried + 10, "lawsuit", true, new DateOnly(2025, 7, 1), new DateOnly(2025, 11, 1), "other"),
            new(carried, "reconsideration", false, new DateOnly(2024, 12, 30), new DateOnly(2025, 2, 1), "upheld"), // filed in 2024: not 2025's
        };
        return (requests, items, appeals);
    }
}
