using Microsoft.Extensions.Logging.Abstractions;
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

    [Fact]
    public void Trim_TwoParts_EachReleasesItsIdleMemoryOnce()
    {
        var parts = new[] { new CountingPart(), new CountingPart() };
        var trimmer = new IdleMemoryTrimmer(parts, TimeProvider.System, NullLogger<IdleMemoryTrimmer>.Instance);

        trimmer.Trim();

        parts.Select(part => part.Releases).Should().Equal(1, 1);
    }

    [Fact]
    public void NativeHeapTrim_OnGlibc_Trims() =>
        NativeHeap.Trim().Should().BeTrue("this Linux's C library is glibc, which has malloc_trim");

    private sealed class CountingPart : IReleasesIdleMemory
    {
        public int Releases { get; private set; }

        public void ReleaseIdleMemory() => Releases++;
    }
}
