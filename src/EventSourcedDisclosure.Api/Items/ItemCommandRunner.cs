using EventSourcedDisclosure.Api.Agencies;
using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.Api.Calendar;
using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Items;
using EventSourcedDisclosure.EventStore;

namespace EventSourcedDisclosure.Api.Items;

/// <summary>Loads what an item command needs (its agency, today's date) and runs it through the command pipeline.</summary>
public sealed class ItemCommandRunner(CommandPipeline pipeline, AgencyContexts agencies,
    CalendarProvider calendars, TimeProvider clock)
{
    public delegate IReadOnlyList<object> Decide(Item item, AgencyContext agency, DateOnly today);

    public Task<IResult> CreateAsync(HttpContext http, string agency, Guid id, Func<Guid, AgencyContext, DateOnly, IReadOnlyList<object>> draft) =>
        RunAsync(http, Stream(agency, id) with { New = true }, (_, ctx, today) => draft(id, ctx, today));

    public Task<IResult> RunAsync(HttpContext http, string agency, Guid id, Decide decide) =>
        RunAsync(http, Stream(agency, id), decide);

    private Task<IResult> RunAsync(HttpContext http, StreamRef<Item> stream, Decide decide)
    {
        // The agency (404 if unknown) is read with the item's stream, in one round trip.
        AgencyContext context = null!;
        var today = clock.Today();
        return pipeline.ExecuteAsync(http, stream, item => decide(item, context, today), View(stream.Tenant, today),
            [agencies.Context(stream.Tenant, c => context = c)]);
    }

    /// <summary>
    /// A first publication takes the next serial of the agency's year in the same transaction as
    /// the publication: a failed publication gives its serial back, so serials stay gap-free.
    /// The year's counter is locked with the item (after it: every publisher locks in this order),
    /// in the command's first round trip, and the serial goes with the publication in its second.
    /// </summary>
    public async Task<IResult> PublishAsync(HttpContext http, string agency, Guid id, PublishItem command)
    {
        AgencyContext context = null!;
        var today = clock.Today();
        return await pipeline.ExecuteAsync(http, Stream(agency, id), async (item, session) =>
        {
            var plan = ItemDecider.PlanPublication(command, item);
            string? indexNumber = null;
            if (plan.NeedsIndexNumber)
            {
                var year = plan.PublishedOn.Year;
                var counter = IndexNumbers.SerialStreamId(agency, year);
                var taken = await session.LockStreamAsync(agency, counter, http.RequestAborted); // held since the read
                var issued = IndexNumbers.Next(context, year, taken, id, item.Content!.Category);
                indexNumber = issued.IndexNumber;
                await session.QueueAppendAsync(agency, counter, "index-serials", ExpectedVersion.Exactly(taken),
                    [issued], http.EventMetadata(), http.RequestAborted);
            }
            return ItemDecider.Publish(plan, item, context, indexNumber);
        }, View(agency, today), [agencies.Context(agency, c => context = c)],
            command.PublishedOn is { } on ? [IndexNumbers.SerialStreamId(agency, on.Year)] : null);
    }

    private static StreamRef<Item> Stream(string agency, Guid id) =>
        new(agency, ItemDecider.StreamId(id), "item", Item.Initial, Item.Evolve);

    private Func<Item, long, CommandResponse> View(string agency, DateOnly today) =>
        (item, version) => new CommandResponse(ItemView.Of(item, version, calendars.Current, today), $"/api/v1/agencies/{agency}/items/{item.Id}");
}
