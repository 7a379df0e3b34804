using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ServerlessEventStore.Server.Tests.Authentication;

/// <summary>JWTs signed here with a symmetric key, as an issuer would sign them for the server's audience.</summary>
internal static class TestTokens
{
    public const string Audience = "eventstore-tests";

    public const string Issuer = "https://issuer.eventstore.test";

    public static byte[] SigningKey { get; } = SHA256.HashData("the tests' signing key"u8);

    public static string Create(TimeSpan? expiresIn = null, string audience = Audience, string issuer = Issuer, byte[]? signingKey = null)
    {
        var expires = DateTime.UtcNow + (expiresIn ?? TimeSpan.FromHours(1));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", "tests")]),
            IssuedAt = expires - TimeSpan.FromHours(2),
            NotBefore = expires - TimeSpan.FromHours(2),
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(signingKey ?? SigningKey), SecurityAlgorithms.HmacSha256),
        });
    }
}
