using EventSourcedDisclosure.Domain.Items;

namespace EventSourcedDisclosure.Domain.Tests.Items;

public sealed class IndexNumberTests
{
    [Fact]
    public void The_default_template_is_front_code_slash_year_dash_five_digit_serial() =>
        IndexNumbers.Format("{prefix}/{year}-{serial:00000}", "000014349", 2024, 37, "policy").ShouldBe("000014349/2024-00037");

    [Fact]
    public void A_provincial_scheme_can_include_the_category() =>
        IndexNumbers.Format("{prefix}-{category}-{year}-{serial}", "11130525MB0000000X", 2025, 7, "finance")
            .ShouldBe("11130525MB0000000X-finance-2025-7");

    [Fact]
    public void Serial_streams_are_per_agency_and_year()
    {
        IndexNumbers.SerialStreamId("a", 2025).ShouldBe(IndexNumbers.SerialStreamId("a", 2025));
        IndexNumbers.SerialStreamId("a", 2025).ShouldNotBe(IndexNumbers.SerialStreamId("a", 2026));
        IndexNumbers.SerialStreamId("a", 2025).ShouldNotBe(IndexNumbers.SerialStreamId("b", 2025));
    }
}

public sealed class NextIndexNumberTests
{
    [Fact]
    public void The_next_serial_follows_the_ones_issued_that_year()
    {
        var agency = new AgencyContext("lyxjyj", "隆尧县教育局", "000014349", "{prefix}/{year}-{serial:00000}", ["policy"]);
        var item = Guid.NewGuid();
        var issued = IndexNumbers.Next(agency, 2024, issued: 36, item, "policy");
        issued.ShouldBe(new IndexSerialIssued("lyxjyj", 2024, 37, item, "000014349/2024-00037"));
    }
}
