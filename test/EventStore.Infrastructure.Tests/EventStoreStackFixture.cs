namespace EventStore.Infrastructure.Tests;

public sealed class EventStoreStackFixture : SynthesizedTemplate
{
    public EventStoreStackFixture()
    {
        Stack = new EventStoreStack(App, "EventStoreTest", new EventStoreStackProps { LambdaCodePath = BundleFolder, Env = Env });
        Synthesize(Stack);
    }

    public EventStoreStack Stack { get; }
}
