using System.Globalization;
using EventStore.Testing;

namespace EventStore.Benchmarks;

/// <summary>
/// The server process's resident memory (RSS) at idle right after it started, right after the report's loads, and after
/// it then stayed idle for <see cref="Settle"/>: long enough for the server's idle trimmer (a full, compacting
/// collection once a busy spell is followed by an idle check interval of 10 s) to have run.
/// </summary>
internal sealed record ServerMemory(long IdleBytes, long AfterLoadBytes, long AfterSettleBytes)
{
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(25);

    public double AfterLoadToIdle => AfterLoadBytes / (double)IdleBytes;

    public double AfterSettleToIdle => AfterSettleBytes / (double)IdleBytes;

    /// <summary>Reads the after-load figure now, waits <see cref="Settle"/>, and reads the last.</summary>
    public static async Task<ServerMemory> AfterLoadAsync(ServerProcess server, long idleBytes)
    {
        var afterLoad = server.ResidentBytes();
        Console.Error.WriteLine($"  waiting {Settle.TotalSeconds:0} s for the server to settle…");
        await Task.Delay(Settle);
        return new ServerMemory(idleBytes, afterLoad, server.ResidentBytes());
    }

    public string Markdown() =>
        new MarkdownTable("server process, resident memory (RSS)", "MiB", "÷ idle")
            .Row("idle, after start", Mib(IdleBytes), "1.00")
            .Row("right after the loads above", Mib(AfterLoadBytes), AfterLoadToIdle.ToString("0.00", CultureInfo.InvariantCulture))
            .Row(string.Create(CultureInfo.InvariantCulture, $"after {Settle.TotalSeconds:0} s idle"), Mib(AfterSettleBytes), AfterSettleToIdle.ToString("0.00", CultureInfo.InvariantCulture))
            .ToString();

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("N0", CultureInfo.InvariantCulture);
}
