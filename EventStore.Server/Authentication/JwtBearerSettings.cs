namespace ServerlessEventStore.Server.Authentication;

/// <summary>
/// The bearer tokens the server accepts (configuration section <c>EventStore:Authentication:JwtBearer</c>): issued by
/// an OpenID Connect <see cref="Authority"/> (its signing keys come from its metadata), or signed with a shared
/// <see cref="SigningKey"/>; either way for <see cref="Audience"/>, unexpired.
/// </summary>
public sealed class JwtBearerSettings
{
    /// <summary>The token issuer's address, e.g. <c>https://login.example.com/realms/events</c>; its metadata gives the issuer and signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience the tokens must name (<c>aud</c>); required.</summary>
    public string? Audience { get; set; }

    /// <summary>The issuer the tokens must name (<c>iss</c>); required with <see cref="SigningKey"/>, taken from the metadata with <see cref="Authority"/>.</summary>
    public string? Issuer { get; set; }

    /// <summary>
    /// A symmetric key (base64, at least 32 bytes) the tokens are signed with (HS256 and the like), for a server without
    /// an <see cref="Authority"/>.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>Whether the <see cref="Authority"/>'s metadata must be fetched over https; on by default.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Smallest <see cref="SigningKey"/>, in bytes (HMAC-SHA256's key size).</summary>
    public const int MinSigningKeyBytes = 32;

    /// <summary>The decoded <see cref="SigningKey"/>, or null when it is not set or not base64.</summary>
    internal byte[]? SigningKeyBytes()
    {
        if (string.IsNullOrWhiteSpace(SigningKey))
        {
            return null;
        }

        var buffer = new byte[SigningKey.Length];
        return Convert.TryFromBase64String(SigningKey, buffer, out var written) ? buffer[..written] : null;
    }
}
