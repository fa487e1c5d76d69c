using EventSourcedDisclosure.Domain.Calendar;
using EventSourcedDisclosure.Domain.Requests;

namespace EventSourcedDisclosure.Domain.Tests.Requests;

public static class RequestFixtures
{
    public static readonly Guid Id = new("0190b000-0000-7000-8000-000000000001");
    public static readonly WorkingCalendar China = WorkingCalendar.China;
    public static readonly DateOnly Today = new(2027, 6, 30);

    public static Spec<Request> Spec => new(Request.Initial, Request.Evolve);

    public static ApplicantInput Person => new("naturalPerson", "张三", "11010519491231002X", "13800000000", "北京市", "z@example.cn");

    public static RequestReceived Received(string on, string channel = "online") =>
        (RequestReceived)RequestDecider.Receive(new ReceiveRequest(Id, "lyxjyj", DateOnly.Parse(on), null, channel, Person,
            "请公开2024年教育经费决算", null, "AAAA-BBBB-CCCC-DDDD", "clerk", Today), China).Single();

    public static T Decide<T>(Request r, Func<Request, IReadOnlyList<object>> decide) => (T)decide(r).Single();

    public static DateOnly D(string s) => DateOnly.Parse(s);
}
