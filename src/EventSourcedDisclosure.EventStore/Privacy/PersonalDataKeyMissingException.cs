namespace EventSourcedDisclosure.EventStore.Privacy;

/// <summary>
/// Personal data had to be sealed or opened and the deployment has no key-encryption key: a
/// configuration to fix, not a fault of the data (an operator command tells it in one line).
/// </summary>
public sealed class PersonalDataKeyMissingException() : InvalidOperationException(
    "An event carries personal data but no key-encryption key is configured (EventStoreOptions.PersonalDataKey; " +
    "PersonalData:KeyEncryptionKey or DISCLOSURE_PERSONAL_DATA_KEY for the API and esd).");
