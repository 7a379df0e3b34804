using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ServerlessEventStore.Client.Tests.Signing;

/// <summary>
/// Checks a request's AWS Signature Version 4 the way a Lambda Function URL with AWS_IAM auth does, written from the
/// specification (canonical request, string to sign, HMAC-SHA256 key derivation), independent of the AWS SDK's signer.
/// </summary>
internal sealed partial class SigV4Verifier(string region, string service, IReadOnlyDictionary<string, SigningSecret> secrets)
{
    private const string Algorithm = "AWS4-HMAC-SHA256";
    private static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(5);
    private static readonly string[] RequiredSignedHeaders = ["host", "x-amz-date", "x-amz-content-sha256"];

    /// <summary>Verifies <paramref name="request"/>, whose body must be buffered; returns the signature or why it fails.</summary>
    public async Task<SigV4Verdict> VerifyAsync(HttpRequest request, TimeProvider clock)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return SigV4Verdict.Reject("missing or non-SigV4 Authorization header");
        }

        var match = AuthorizationPattern().Match(authorization);
        if (!match.Success)
        {
            return SigV4Verdict.Reject("malformed Authorization header");
        }

        var (accessKey, scopeDate, scopeRegion, scopeService, terminator) = SplitScope(match.Groups["credential"].Value);
        var signedHeaders = match.Groups["signedHeaders"].Value.Split(';');
        var signature = match.Groups["signature"].Value;
        if (!secrets.TryGetValue(accessKey, out var secret))
        {
            return SigV4Verdict.Reject($"unknown access key '{accessKey}'");
        }

        if (scopeRegion != region || scopeService != service || terminator != "aws4_request")
        {
            return SigV4Verdict.Reject($"credential scope {scopeDate}/{scopeRegion}/{scopeService}/{terminator} is not for {region}/{service}");
        }

        var amzDate = request.Headers["x-amz-date"].ToString();
        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt))
        {
            return SigV4Verdict.Reject("missing or malformed x-amz-date");
        }

        if ((clock.GetUtcNow() - signedAt).Duration() > AllowedSkew || scopeDate != amzDate[..8])
        {
            return SigV4Verdict.Reject("x-amz-date outside the allowed skew or not the scope's date");
        }

        if (!signedHeaders.SequenceEqual(signedHeaders.Order(StringComparer.Ordinal))
            || signedHeaders.Any(name => name.Any(char.IsAsciiLetterUpper))
            || !RequiredSignedHeaders.All(signedHeaders.Contains))
        {
            return SigV4Verdict.Reject($"signed headers '{string.Join(';', signedHeaders)}' must be sorted, lower case, and cover host, x-amz-date and x-amz-content-sha256");
        }

        if (secret.SessionToken is { } token
            && (!signedHeaders.Contains("x-amz-security-token") || request.Headers["x-amz-security-token"] != token))
        {
            return SigV4Verdict.Reject("session token missing, unsigned or wrong");
        }

        var body = await ReadBodyAsync(request);
        var payloadHash = Hex(SHA256.HashData(body));
        if (request.Headers["x-amz-content-sha256"] != payloadHash)
        {
            return SigV4Verdict.Reject("x-amz-content-sha256 is not the SHA-256 of the body");
        }

        var rawTarget = request.HttpContext.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var queryStart = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var canonicalRequest = string.Join('\n',
            request.Method,
            CanonicalUri(queryStart < 0 ? rawTarget : rawTarget[..queryStart]),
            CanonicalQuery(queryStart < 0 ? string.Empty : rawTarget[(queryStart + 1)..]),
            string.Concat(signedHeaders.Select(name => $"{name}:{CanonicalHeaderValue(request, name)}\n")),
            string.Join(';', signedHeaders),
            payloadHash);
        var scope = $"{scopeDate}/{region}/{service}/aws4_request";
        var stringToSign = string.Join('\n', Algorithm, amzDate, scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));

        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secret.SecretKey), scopeDate);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        var expected = Hex(Hmac(key, stringToSign));

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature))
            ? SigV4Verdict.Accept(signature, amzDate, signedHeaders)
            : SigV4Verdict.Reject("signature does not match the request");
    }

    private static (string AccessKey, string Date, string Region, string Service, string Terminator) SplitScope(string credential)
    {
        var parts = credential.Split('/');
        return parts.Length == 5 ? (parts[0], parts[1], parts[2], parts[3], parts[4]) : (string.Empty, string.Empty, string.Empty, string.Empty, string.Empty);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        request.Body.Position = 0;
        return buffer.ToArray();
    }

    // Every service but S3 signs the path as sent, each segment URI-encoded once more.
    private static string CanonicalUri(string path) =>
        path.Length == 0 ? "/" : string.Join('/', path.Split('/').Select(UriEncode));

    private static string CanonicalQuery(string query) =>
        string.Join('&', query
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(pair => (Name: UriEncode(Uri.UnescapeDataString(pair[0])), Value: UriEncode(Uri.UnescapeDataString(pair.Length > 1 ? pair[1] : string.Empty))))
            .OrderBy(pair => pair.Name, StringComparer.Ordinal)
            .ThenBy(pair => pair.Value, StringComparer.Ordinal)
            .Select(pair => $"{pair.Name}={pair.Value}"));

    private static string CanonicalHeaderValue(HttpRequest request, string name) =>
        string.Join(',', request.Headers[name].Select(value => Spaces().Replace(value!.Trim(), " ")));

    private static string UriEncode(string value)
    {
        var encoded = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                encoded.Append(c);
            }
            else
            {
                encoded.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
            }
        }

        return encoded.ToString();
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    [GeneratedRegex(@"^AWS4-HMAC-SHA256 Credential=(?<credential>[^,\s]+),\s*SignedHeaders=(?<signedHeaders>[^,\s]+),\s*Signature=(?<signature>[0-9a-f]{64})$")]
    private static partial Regex AuthorizationPattern();

    [GeneratedRegex(" +")]
    private static partial Regex Spaces();
}

/// <summary>A secret key, and the session token that temporary credentials also send.</summary>
public sealed record SigningSecret(string SecretKey, string? SessionToken = null);

/// <summary>The outcome of <see cref="SigV4Verifier.VerifyAsync"/>.</summary>
public sealed record SigV4Verdict(bool Accepted, string? Signature, string? AmzDate, IReadOnlyList<string> SignedHeaders, string? Reason)
{
    public static SigV4Verdict Accept(string signature, string amzDate, IReadOnlyList<string> signedHeaders) =>
        new(true, signature, amzDate, signedHeaders, null);

    public static SigV4Verdict Reject(string reason) => new(false, null, null, [], reason);
}
