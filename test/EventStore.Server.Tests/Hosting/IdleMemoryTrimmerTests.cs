using ServerlessEventStore.Server.Hosting;

namespace ServerlessEventStore.Server.Tests.Hosting;

/// <summary>When the server gives memory back: once it is idle after a burst, not under a steady light load.</summary>
public sealed class IdleMemoryTrimmerTests
{
    private const long MiB = 1024 * 1024;

    [Theory]
    [InlineData(1 * MiB, 200 * MiB, true)]
    [InlineData(1 * MiB, 1 * MiB, false)]
    [InlineData(3 * MiB, 3 * MiB, false)]
    [InlineData(100 * MiB, 300 * MiB, false)]
    public void IsIdleAfterBurst_IntervalAndBurst_DecidesACollection(long allocated, long sinceIdle, bool collect) =>
        IdleMemoryTrimmer.IsIdleAfterBurst(allocated, sinceIdle).Should().Be(collect);
}
