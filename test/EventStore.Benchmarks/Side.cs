using EventStore.Testing;

namespace EventStore.Benchmarks;

/// <summary>One side of a comparison: a run of about the given length that reports how many operations it completed.</summary>
/// <param name="name">What it is, for progress output.</param>
/// <param name="runAsync">One run.</param>
/// <param name="server">The server process whose CPU time the run's work costs, if any.</param>
internal sealed class Side(string name, Func<TimeSpan, Task<long>> runAsync, ServerProcess? server = null)
{
    public string Name { get; } = name;

    public Func<TimeSpan, Task<long>> RunAsync { get; } = runAsync;

    public ServerProcess? Server { get; } = server;
}
