using System.Text.RegularExpressions;
using EventSourcedDisclosure.Domain.Common;

namespace EventSourcedDisclosure.Domain.Requests;

public static partial class RequestDecider
{
    private static Applicant? ValidApplicant(ApplicantInput? a, Validation v)
    {
        v.Require(a is not null, "applicant", "is required");
        if (a is null) return null;
        var type = v.Code<ApplicantType>(a.Type, "applicant.type", required: true);
        v.NotBlank(a.Name, "applicant.name", 200)
            .Require(a.IdNumber is null || IsResidentIdNumber(a.IdNumber) || type is { } t && t != ApplicantType.NaturalPerson && a.IdNumber.Length <= 40,
                "applicant.idNumber", "is not a valid resident identity card number (18 characters, check digit)")
            .Require(a.Phone is null || Phone().IsMatch(a.Phone), "applicant.phone", "is not a phone number")
            .Require(a.Email is null || (a.Email.Length <= 200 && a.Email.Contains('@')), "applicant.email", "is not an email address")
            .Require(a.Address is null || a.Address.Length <= 500, "applicant.address", "is longer than 500 characters");
        return type is null || string.IsNullOrWhiteSpace(a.Name) ? null
            : new Applicant(type.Value, a.Name.Trim(), a.IdNumber?.ToUpperInvariant(), a.Phone, a.Address?.Trim(), a.Email?.Trim());
    }

    /// <summary>GB 11643: 17 digits and an ISO 7064 MOD 11-2 check character.</summary>
    public static bool IsResidentIdNumber(string id)
    {
        if (id.Length != 18 || !id[..17].All(char.IsAsciiDigit)) return false;
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = id[..17].Select((c, i) => (c - '0') * weights[i]).Sum();
        return char.ToUpperInvariant(id[17]) == "10X98765432"[sum % 11];
    }

    [GeneratedRegex(@"^[0-9+\- ]{5,20}$")] private static partial Regex Phone();
}
