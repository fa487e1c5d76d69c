using EventSourcedDisclosure.Domain.Common;

namespace EventSourcedDisclosure.Domain.Requests;

public static class ErasureRules
{
    public const string RetentionRunning = "applicant-retention-running";
    public const string AlreadyErased = "applicant-already-erased";
}

public static partial class RequestDecider
{
    /// <summary>The shortest retention period the deployment may set; request files are kept at least this long.</summary>
    public const int MinimumRetentionYears = 1;

    /// <summary>
    /// Retention counts from 1 January of the year after the file closed — the answer, or the
    /// last appeal decided, whichever is later — as archival periods are counted (保管期限自
    /// 文件形成之次年1月1日起算). The result is the last day the data is kept.
    /// </summary>
    public static DateOnly? RetainedUntil(Request r, int retentionYears)
    {
        if (r.AnsweredOn is not { } answered || r.Appeals.Any(a => a.DecidedOn is null)) return null;
        var closed = r.Appeals.Select(a => a.DecidedOn!.Value).Append(answered).Max();
        return new DateOnly(closed.Year + retentionYears, 12, 31);
    }

    /// <summary>Erases the applicant's personal data once the request file's retention period has ended.</summary>
    public static IReadOnlyList<object> EraseApplicant(EraseApplicant c, Request r)
    {
        if (!r.Exists) throw new NotFound("No such request.");
        if (r.ApplicantErasedOn is { } erasedOn)
            throw new RuleViolation(ErasureRules.AlreadyErased, $"The applicant's data was erased on {erasedOn:yyyy-MM-dd}.");
        new Validation().NotBlank(c.Reason, "reason", 2000).ThrowIfAny();
        if (c.RetentionYears < MinimumRetentionYears)
            throw new ArgumentOutOfRangeException(nameof(c), "The retention period must be at least a year.");

        var until = RetainedUntil(r, c.RetentionYears);
        if (!r.IsClosed)
            throw new RuleViolation(ErasureRules.RetentionRunning, "The request is not answered yet: its file is still being handled.");
        if (until is null)
            throw new RuleViolation(ErasureRules.RetentionRunning, "A reconsideration or lawsuit on the request is undecided.");
        if (c.Today <= until)
            throw new RuleViolation(ErasureRules.RetentionRunning,
                $"The request file is kept until {until:yyyy-MM-dd} ({c.RetentionYears} years from the year after it closed).");
        return [new ApplicantErased(r.Id, c.Today, until.Value, c.Reason!.Trim(), c.Actor)];
    }
}
