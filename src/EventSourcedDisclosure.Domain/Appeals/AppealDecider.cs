using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Requests;

namespace EventSourcedDisclosure.Domain.Appeals;

public static class AppealRules
{
    public const string AppealAlreadyDecided = "appeal-already-decided";
}

public sealed record FileAppeal(Guid AppealId, AppealKind Kind, DateOnly? FiledOn, bool? AfterReconsideration, string Actor, DateOnly Today);

public sealed record DecideAppeal(Guid AppealId, AppealKind Kind, DateOnly? DecidedOn, string? Result, string Actor, DateOnly Today);

/// <summary>Reconsiderations and lawsuits live on the request they concern; they may follow an answer or its absence.</summary>
public static class AppealDecider
{
    public static IReadOnlyList<object> File(FileAppeal c, Request r)
    {
        if (!r.Exists) throw new NotFound("No such request.");
        new Validation().Require(c.FiledOn is not null, "filedOn", "is required")
            .Require(c.FiledOn is null || c.FiledOn <= c.Today, "filedOn", "is in the future")
            .Require(c.FiledOn is null || c.FiledOn >= r.ReceivedOn, "filedOn", "is before the request was received")
            .Require(c.Kind == AppealKind.Reconsideration || c.AfterReconsideration is not null, "afterReconsideration", "is required")
            .ThrowIfAny();
        return c.Kind == AppealKind.Reconsideration
            ? [new ReconsiderationFiled(r.Id, c.AppealId, c.FiledOn!.Value, c.Actor)]
            : [new LawsuitFiled(r.Id, c.AppealId, c.FiledOn!.Value, c.AfterReconsideration!.Value, c.Actor)];
    }

    public static IReadOnlyList<object> Decide(DecideAppeal c, Request r)
    {
        if (!r.Exists) throw new NotFound("No such request.");
        var appeal = r.Appeals.FirstOrDefault(a => a.Id == c.AppealId && a.Kind == c.Kind)
            ?? throw new NotFound($"No such {Codes.Of(c.Kind)} on this request.");
        var v = new Validation().Require(c.DecidedOn is not null, "decidedOn", "is required")
            .Require(c.DecidedOn is null || c.DecidedOn <= c.Today, "decidedOn", "is in the future")
            .Require(c.DecidedOn is null || c.DecidedOn >= appeal.FiledOn, "decidedOn", "is before the case was filed");
        var result = v.Code<AppealResult>(c.Result, "result", required: true);
        v.ThrowIfAny();
        if (appeal.DecidedOn is not null)
            throw new RuleViolation(AppealRules.AppealAlreadyDecided, $"The case was decided on {appeal.DecidedOn:yyyy-MM-dd}.");
        return c.Kind == AppealKind.Reconsideration
            ? [new ReconsiderationDecided(r.Id, c.AppealId, c.DecidedOn!.Value, result!.Value, c.Actor)]
            : [new LawsuitDecided(r.Id, c.AppealId, c.DecidedOn!.Value, result!.Value, c.Actor)];
    }
}
