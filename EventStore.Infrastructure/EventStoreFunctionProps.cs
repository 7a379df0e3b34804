using Amazon.CDK;

namespace EventStore.Infrastructure;

/// <summary>Settings of <see cref="EventStoreFunction"/>.</summary>
public sealed class EventStoreFunctionProps
{
    /// <summary>The store's table.</summary>
    public required EventStoreTable Table { get; init; }

    /// <summary>
    /// The folder holding the published server for linux-arm64 (<c>EventStore.Infrastructure/publish-lambda.sh</c>): the
    /// executable <c>ServerlessEventStore.Server</c>, and for <see cref="ServerBuild.NativeAot"/> the <c>bootstrap</c>
    /// script that starts it.
    /// </summary>
    public required string CodePath { get; init; }

    /// <summary>Which build <see cref="CodePath"/> holds: <see cref="ServerBuild.NativeAot"/> (the default) or <see cref="ServerBuild.Managed"/>.</summary>
    public ServerBuild Build { get; init; } = ServerBuild.NativeAot;

    /// <summary>Memory of the function in MB (a number or a parameter's token).</summary>
    public required double MemorySize { get; init; }

    /// <summary>Timeout of one invocation, i.e. of one HTTP request.</summary>
    public required Duration Timeout { get; init; }

    /// <summary>
    /// The Function URL's auth type, <c>AWS_IAM</c> or <c>NONE</c> (a literal or a parameter's token). With <c>NONE</c>
    /// anyone on the internet can call the store: for development only.
    /// </summary>
    public required string UrlAuthType { get; init; }
}
