using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessEventStore.Client.Aws.Signing;

namespace ServerlessEventStore.Server.Notifications;

/// <summary>
/// The server's one source of AWS credentials, for every AWS call it makes (SNS, DynamoDB, DynamoDB Streams): the AWS SDK's
/// default chain, or, for an endpoint outside AWS (an emulator, DynamoDB Local), placeholder credentials with a warning.
/// </summary>
internal static partial class AwsCredentials
{
    /// <summary>Registers the one source (once, whoever asks first: the notifications, the DynamoDB store).</summary>
    /// <param name="services">The services.</param>
    /// <returns>The same services.</returns>
    public static IServiceCollection TryAddAwsCredentials(this IServiceCollection services)
    {
        services.TryAddSingleton(provider => Create(provider.GetRequiredService<ILogger<AwsCredentialSource>>()));
        return services;
    }

    private static AwsCredentialSource Create(ILogger logger) => new(
        configured: null,
        allowPlaceholder: true,
        "provide credentials to the AWS SDK's default chain (environment variables, profile, web identity, container or instance role).",
        (endpoint, hint) => LogPlaceholder(logger, endpoint.GetLeftPart(UriPartial.Authority), hint));

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "No AWS credentials found; signing requests to {Endpoint}, outside AWS, with placeholder credentials. To sign them with real ones, {Hint}")]
    private static partial void LogPlaceholder(ILogger logger, string endpoint, string hint);
}
