using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Server.Authentication;

/// <summary>
/// The accepted API keys, kept as SHA-256 hashes only; a presented key is hashed and compared with every one of them in
/// constant time, so neither the keys' contents nor which one matched shows in the time an answer takes.
/// </summary>
internal sealed class ApiKeySet(IOptions<EventStoreAuthenticationOptions> options)
{
    private readonly byte[][] _hashes = [.. options.Value.ApiKeys.Select(key => Hash(key.Trim()))];

    public bool Contains(string presented)
    {
        var hash = Hash(presented);
        var found = false;
        foreach (var accepted in _hashes)
        {
            found |= CryptographicOperations.FixedTimeEquals(hash, accepted);
        }

        return found;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
