using EventSourcedDisclosure.Domain.Common;

namespace EventSourcedDisclosure.Domain.Tests;

/// <summary>
/// given events / when command / then events, over a pure decider: the state is folded from the
/// given events exactly as the store folds a stream.
/// </summary>
public sealed class Spec<TState>(TState initial, Func<TState, object, TState> evolve)
{
    private object[] _given = [];

    public Spec<TState> Given(params object[] events)
    {
        _given = events;
        return this;
    }

    public TState State => _given.Aggregate(initial, evolve);

    public IReadOnlyList<object> When(Func<TState, IReadOnlyList<object>> decide) => decide(State);

    public void ThenEvents(Func<TState, IReadOnlyList<object>> decide, params object[] expected) =>
        When(decide).ShouldBe(expected);

    /// <summary>Rejected by a rule of the current state: nothing would be appended.</summary>
    public RuleViolation ThenRejected(Func<TState, IReadOnlyList<object>> decide, string rule)
    {
        var violation = Should.Throw<RuleViolation>(() => decide(State));
        violation.Rule.ShouldBe(rule);
        return violation;
    }

    /// <summary>Rejected for its fields: every named field has a message.</summary>
    public void ThenInvalid(Func<TState, IReadOnlyList<object>> decide, params string[] fields)
    {
        var failed = Should.Throw<ValidationFailed>(() => decide(State));
        failed.Errors.Keys.ShouldBe(fields, ignoreOrder: true);
    }
}
