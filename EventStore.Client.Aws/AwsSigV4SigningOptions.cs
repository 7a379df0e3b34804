using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Amazon.Runtime;

namespace ServerlessEventStore.Client.Aws;

/// <summary>
/// Settings of <see cref="AwsSigV4SigningHandler"/>: signing the event store's requests with AWS Signature Version 4 for
/// a Lambda Function URL whose auth type is <c>AWS_IAM</c>.
/// </summary>
public sealed partial class AwsSigV4SigningOptions
{
    /// <summary>The service the requests are signed for: <c>lambda</c>, as a Function URL requires.</summary>
    public const string Service = "lambda";

    /// <summary>
    /// The AWS region of the function, e.g. <c>eu-central-1</c>; required. It is part of the signature, so it must be the
    /// region in the Function URL (<c>https://&lt;url-id&gt;.lambda-url.&lt;region&gt;.on.aws/</c>).
    /// </summary>
    [Required]
    public string? Region { get; set; }

    /// <summary>
    /// The credentials to sign with. When not set (the default), the AWS SDK's default credential chain provides them
    /// (environment variables, shared profile, web identity, container or instance role), looked up once on the first
    /// request; temporary credentials from that chain are refreshed by the SDK before they expire.
    /// </summary>
    public AWSCredentials? Credentials { get; set; }

    /// <summary>
    /// Whether to sign requests sent over a transport that is neither a <see cref="SocketsHttpHandler"/> nor an
    /// <see cref="HttpClientHandler"/>. By default such a request is refused before anything is sent, because the
    /// handler can't see whether that transport follows redirects, which would take the signed request to another host.
    /// Set it only for a transport you know does not.
    /// </summary>
    public bool AllowUnknownTransport { get; set; }

    /// <summary>Why these options can't be used, or null when they can.</summary>
    internal string? Validate() =>
        string.IsNullOrWhiteSpace(Region)
            ? "AwsSigV4SigningOptions.Region is required: the AWS region of the Function URL, e.g. eu-central-1."
            : RegionName().IsMatch(Region)
                ? null
                : $"AwsSigV4SigningOptions.Region must be an AWS region name such as eu-central-1; it is '{Region}'.";

    [GeneratedRegex("^[a-z]{2,}(-[a-z]+)+-[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionName();
}
