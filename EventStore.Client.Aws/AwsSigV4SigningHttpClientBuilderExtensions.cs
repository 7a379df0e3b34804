using Amazon;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using ServerlessEventStore.Client.Aws.Signing;

namespace ServerlessEventStore.Client.Aws;

/// <summary>
/// Adds AWS Signature Version 4 signing, for an event store behind a Lambda Function URL with IAM auth, to an HTTP
/// client's builder — the one <c>AddEventStoreClient</c> returns.
/// </summary>
public static class AwsSigV4SigningHttpClientBuilderExtensions
{
    /// <summary>
    /// Signs every request of the HTTP client with AWS Signature Version 4 for service <c>lambda</c> (payload hash
    /// included), for an event store behind a Lambda Function URL with <c>AWS_IAM</c> auth. Call it on the builder that
    /// <c>AddEventStoreClient</c> (package ServerlessEventStore.Client) returns:
    /// <c>services.AddEventStoreClient(…).AddAwsSigV4Signing(o =&gt; o.Region = "eu-central-1")</c>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Adds an <see cref="AwsSigV4SigningHandler"/> after the handlers already added, that is inside the standard
    /// resilience handler: every retry passes through it again and is signed afresh, with a new date and signature. Add
    /// handlers that change requests before calling this method, not after.
    /// </para>
    /// <para>
    /// The options are named after the client (<see cref="IHttpClientBuilder.Name"/>) and validated when the host starts:
    /// a missing or malformed <see cref="AwsSigV4SigningOptions.Region"/> fails start-up with an
    /// <see cref="OptionsValidationException"/>. Credentials not set in the options come from the AWS SDK's default
    /// chain, looked up once per client registration on the first request.
    /// </para>
    /// <para>
    /// The client's primary handler stops following redirects, whenever it is configured (also by a
    /// <c>ConfigurePrimaryHttpMessageHandler</c> after this method): a redirect is handed back as the response, since
    /// following it would take the body and the signature headers to another address. The signing handler itself refuses
    /// to send over a transport that follows redirects; see <see cref="AwsSigV4SigningHandler"/>.
    /// </para>
    /// </remarks>
    /// <param name="builder">The HTTP client's builder, e.g. the one <c>AddEventStoreClient</c> returns.</param>
    /// <param name="configure">Sets the options; <see cref="AwsSigV4SigningOptions.Region"/> is required.</param>
    /// <returns>The same builder.</returns>
    public static IHttpClientBuilder AddAwsSigV4Signing(this IHttpClientBuilder builder, Action<AwsSigV4SigningOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddAwsSigV4Signing(options => options.Configure(configure));
    }

    /// <summary>
    /// Signs every request of the HTTP client with AWS Signature Version 4 for service <c>lambda</c>, with options bound
    /// to <paramref name="configuration"/> (e.g. the section <c>EventStore:Signing</c> with <c>Region</c>). See
    /// <see cref="AddAwsSigV4Signing(IHttpClientBuilder, Action{AwsSigV4SigningOptions})"/> for what is added.
    /// </summary>
    /// <param name="builder">The HTTP client's builder, e.g. the one <c>AddEventStoreClient</c> returns.</param>
    /// <param name="configuration">The configuration section holding the options.</param>
    /// <returns>The same builder.</returns>
    public static IHttpClientBuilder AddAwsSigV4Signing(this IHttpClientBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        return builder.AddAwsSigV4Signing(options => options.Bind(configuration));
    }

    private static IHttpClientBuilder AddAwsSigV4Signing(
        this IHttpClientBuilder builder,
        Action<OptionsBuilder<AwsSigV4SigningOptions>> configureOptions)
    {
        var name = builder.Name;
        var options = builder.Services.AddOptions<AwsSigV4SigningOptions>(name);
        configureOptions(options);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AwsSigV4SigningOptions>, AwsSigV4SigningOptionsValidator>());
        options
            .Validate(o => o.Validate() is null, $"AwsSigV4SigningOptions.Region of the HTTP client '{name}' must be an AWS region name such as eu-central-1.")
            .ValidateOnStart();

        // One credential source per client registration, outliving the handlers the factory rotates.
        builder.Services.AddKeyedSingleton(name, (provider, _) =>
            AwsSigV4SigningHandler.ForClient(provider.GetRequiredService<IOptionsMonitor<AwsSigV4SigningOptions>>().Get(name).Credentials));

        // Not a ConfigurePrimaryHttpMessageHandler action: one called after this method would replace the handler it set.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, SigningTransportFilter>());

        return builder.AddHttpMessageHandler(provider =>
        {
            var signing = provider.GetRequiredService<IOptionsMonitor<AwsSigV4SigningOptions>>().Get(name);
            return new AwsSigV4SigningHandler(
                RegionEndpoint.GetBySystemName(signing.Region), provider.GetRequiredKeyedService<AwsCredentialSource>(name), signing.AllowUnknownTransport);
        });
    }
}
