using System.Security.Cryptography;
using System.Text;
using EventSourcedDisclosure.Api.Hosting;

namespace EventSourcedDisclosure.Api.Audit;

/// <summary>A signed tree head: anyone with the public key can check the agency's digest for a day.</summary>
public sealed record TreeHead(string Agency, DateOnly Date, long TreeSize, string RootHash, string Signature, string PublicKey, string Algorithm = "ECDSA-P256-SHA256");

/// <summary>
/// Signs tree heads with an ECDSA P-256 key: Audit:SigningKeyPem, or generated once into the data
/// folder. The signed text is "esd-tree-head-v1\n{agency}\n{date}\n{treeSize}\n{rootHash}" (docs/audit.md).
/// </summary>
public sealed class TreeHeadSigner
{
    private readonly ECDsa _key;

    public TreeHeadSigner(IConfiguration config)
    {
        _key = ECDsa.Create();
        var pem = config["Audit:SigningKeyPem"];
        var file = Path.Combine(DatabaseSetup.DataFolder(config), "audit-signing-key.pem");
        if (pem is null && File.Exists(file)) pem = File.ReadAllText(file);
        if (pem is not null) _key.ImportFromPem(pem);
        else
        {
            _key.GenerateKey(ECCurve.NamedCurves.nistP256);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, _key.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    public string PublicKey => Convert.ToBase64String(_key.ExportSubjectPublicKeyInfo());

    public TreeHead Sign(string agency, DateOnly date, long size, byte[] root)
    {
        var rootHex = Convert.ToHexStringLower(root);
        var signature = _key.SignData(Encoding.UTF8.GetBytes(SignedText(agency, date, size, rootHex)), HashAlgorithmName.SHA256);
        return new(agency, date, size, rootHex, Convert.ToBase64String(signature), PublicKey);
    }

    public static string SignedText(string agency, DateOnly date, long size, string rootHex) =>
        $"esd-tree-head-v1\n{agency}\n{date:yyyy-MM-dd}\n{size}\n{rootHex}";
}
