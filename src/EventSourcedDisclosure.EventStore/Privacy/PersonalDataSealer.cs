using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace EventSourcedDisclosure.EventStore.Privacy;

/// <summary>
/// Which properties of an event are personal data, as JSON paths ("applicant.name"), grouped by
/// the object that holds them: that object's personal properties are sealed together.
/// </summary>
public sealed class PersonalFields
{
    public PersonalFields(IEnumerable<string> paths)
    {
        ByParent = paths.Select(p => (Parent: p.Contains('.') ? p[..p.LastIndexOf('.')] : "", Name: p[(p.LastIndexOf('.') + 1)..]))
            .GroupBy(p => p.Parent, p => p.Name)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.ToList());
    }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> ByParent { get; }
}

/// <summary>
/// Seals personal properties in place: they leave the object and come back as one AES-256-GCM
/// blob under <see cref="Property"/>, bound to the tenant, the stream and the object's path, so a
/// blob copied into another event does not open. Without the key the properties stay absent.
/// </summary>
public static class PersonalDataSealer
{
    public const string Property = "sealed";
    private const string Prefix = "esd1:";
    private const int NonceSize = 12, TagSize = 16;

    public static string Seal(string json, PersonalFields fields, byte[] key, string tenant, Guid stream)
    {
        var root = JsonNode.Parse(json)!;
        foreach (var (parentPath, names) in fields.ByParent)
        {
            if (Find(root, parentPath) is not JsonObject parent) continue;
            var personal = new JsonObject();
            foreach (var name in names)
                if (parent.Remove(name, out var value) && value is not null) personal[name] = value;
            if (personal.Count == 0) continue;
            parent[Property] = Encrypt(Encoding.UTF8.GetBytes(personal.ToJsonString()), key, Aad(tenant, stream, parentPath));
        }
        return root.ToJsonString();
    }

    /// <summary>The stored JSON with its sealed objects opened, or only removed when <paramref name="key"/> is null (erased).</summary>
    public static string Unseal(string json, PersonalFields fields, byte[]? key, string tenant, Guid stream)
    {
        var root = JsonNode.Parse(json)!;
        foreach (var parentPath in fields.ByParent.Keys)
        {
            if (Find(root, parentPath) is not JsonObject parent || !parent.Remove(Property, out var blob) || key is null) continue;
            var personal = JsonNode.Parse(Decrypt(blob!.GetValue<string>(), key, Aad(tenant, stream, parentPath)))!.AsObject();
            foreach (var (name, value) in personal.ToList())
            {
                personal.Remove(name);
                parent[name] = value;
            }
        }
        return root.ToJsonString();
    }

    public static bool IsSealed(string json) => json.Contains($"\"{Property}\":", StringComparison.Ordinal);

    internal static string Encrypt(byte[] plain, byte[] key, byte[] aad)
    {
        var output = new byte[NonceSize + TagSize + plain.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), aad);
        return Prefix + Convert.ToBase64String(output);
    }

    internal static byte[] Decrypt(string sealedText, byte[] key, byte[] aad)
    {
        if (!sealedText.StartsWith(Prefix, StringComparison.Ordinal))
            throw new CryptographicException("Not a sealed value of this store.");
        var input = Convert.FromBase64String(sealedText[Prefix.Length..]);
        var plain = new byte[input.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize + TagSize), input.AsSpan(NonceSize, TagSize), plain, aad);
        return plain;
    }

    private static byte[] Aad(string tenant, Guid stream, string path) => Encoding.UTF8.GetBytes($"{tenant}/{stream:D}/{path}");

    private static JsonNode? Find(JsonNode root, string path) =>
        path.Length == 0 ? root : path.Split('.').Aggregate((JsonNode?)root, (node, part) => node is JsonObject o ? o[part] : null);
}
