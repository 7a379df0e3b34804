namespace EventStore.Testing.Tests;

public sealed class CrossProcessLockTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"eventstore-lock-{Guid.NewGuid():N}.lock");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public async Task AcquireAsync_Held_WaitsUntilTheHolderLetsGo()
    {
        var first = await CrossProcessLock.AcquireAsync(_path, Patience);

        var second = CrossProcessLock.AcquireAsync(_path, Patience);

        second.IsCompleted.Should().BeFalse("the first holder has the lock");
        first.Dispose();
        (await second).Dispose();
    }

    [Fact]
    public async Task AcquireAsync_Held_AnotherProcessCannotTakeItUntilReleased()
    {
        // util-linux's flock(1) takes the same advisory lock as .NET's FileShare.None does on Linux.
        string[] tryLock = ["--nonblock", _path, "true"];
        var held = await CrossProcessLock.AcquireAsync(_path, Patience);

        var whileHeld = await LocalProcess.RunAsync("flock", tryLock, AppContext.BaseDirectory, Patience);
        held.Dispose();
        var afterwards = await LocalProcess.RunAsync("flock", tryLock, AppContext.BaseDirectory, Patience);

        whileHeld.ExitCode.Should().Be(1, "another process holds the lock");
        afterwards.ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task AcquireAsync_HeldPastTheTimeout_Throws()
    {
        using var held = await CrossProcessLock.AcquireAsync(_path, Patience);

        var act = () => CrossProcessLock.AcquireAsync(_path, TimeSpan.Zero);

        (await act.Should().ThrowAsync<TimeoutException>()).Which.Message.Should().Contain(_path);
    }
}
