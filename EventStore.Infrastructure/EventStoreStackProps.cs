using Amazon.CDK;

namespace EventStore.Infrastructure;

/// <summary>Settings of <see cref="EventStoreStack"/>.</summary>
public sealed class EventStoreStackProps : StackProps
{
    /// <summary>The folder holding the published server (see <see cref="EventStoreFunctionProps.CodePath"/>).</summary>
    public required string LambdaCodePath { get; init; }

    /// <summary>Which build of the server <see cref="LambdaCodePath"/> holds (see <see cref="EventStoreFunctionProps.Build"/>).</summary>
    public ServerBuild ServerBuild { get; init; } = ServerBuild.NativeAot;
}
