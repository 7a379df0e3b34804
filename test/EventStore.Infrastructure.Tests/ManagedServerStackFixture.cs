namespace EventStore.Infrastructure.Tests;

/// <summary>The stack with the managed build of the server (<c>-c serverBuild=managed</c>).</summary>
public sealed class ManagedServerStackFixture : SynthesizedTemplate
{
    public ManagedServerStackFixture()
    {
        Stack = new EventStoreStack(App, "EventStoreManagedTest", new EventStoreStackProps
        {
            LambdaCodePath = BundleFolder,
            ServerBuild = ServerBuild.Managed,
            Env = Env,
        });
        Synthesize(Stack);
    }

    public EventStoreStack Stack { get; }
}
