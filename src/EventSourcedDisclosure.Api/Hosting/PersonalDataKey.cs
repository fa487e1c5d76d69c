namespace EventSourcedDisclosure.Api.Hosting;

/// <summary>
/// The key-encryption key wrapping every applicant's data key: configured (base64, 32 bytes), or
/// generated once into the data folder. Several nodes must share one: configure it there.
/// </summary>
public static class PersonalDataKey
{
    public static byte[] Resolve(IConfiguration config) => Resolve(config, generate: true)!;

    /// <summary>Without <paramref name="generate"/>, null when neither configured nor in the data folder (operator commands on a bare connection).</summary>
    public static byte[]? Resolve(IConfiguration config, bool generate)
    {
        var configured = config["PersonalData:KeyEncryptionKey"] ?? Environment.GetEnvironmentVariable("DISCLOSURE_PERSONAL_DATA_KEY");
        if (configured is not null) return Decode(configured, "PersonalData:KeyEncryptionKey");
        var file = Path.Combine(DatabaseSetup.DataFolder(config), "personal-data-key");
        if (File.Exists(file)) return Decode(File.ReadAllText(file).Trim(), file);
        if (!generate) return null;
        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, Convert.ToBase64String(key));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return key;
    }

    /// <summary>Years a request file (and so its applicant's data) is kept after the year it closed.</summary>
    public static int RetentionYears(IConfiguration config) =>
        config.GetValue("PersonalData:RetentionYears", 10) is var years and >= Domain.Requests.RequestDecider.MinimumRetentionYears
            ? years
            : throw new InvalidOperationException("PersonalData:RetentionYears must be at least 1.");

    private static byte[] Decode(string base64, string source)
    {
        var bytes = Convert.FromBase64String(base64);
        return bytes.Length == 32 ? bytes : throw new InvalidOperationException($"{source}: the personal data key must be 32 bytes.");
    }
}
