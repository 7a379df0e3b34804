using System.Diagnostics;
using System.Globalization;

namespace EventStore.Benchmarks;

/// <summary>
/// Runs the sides of a comparison for several rounds, each side once a round (or in slices, taking turns: see
/// <see cref="RoundsAsync"/>), the order rotating from round to round (round-robin: side 1 first in round 1, side 2
/// first in round 2, …), so that no side keeps the warmer or the quieter slot; a drift of the machine during the run
/// shows in every side's range rather than in one side's median. Around each run it reads the disk's flush counter, the harness's own CPU time and, for a side with a server, the server's.
/// </summary>
internal static class Measure
{
    /// <summary>How many slices of about <paramref name="slice"/> a run of <paramref name="run"/> is cut into (at least one).</summary>
    public static int Slices(TimeSpan run, TimeSpan slice) => Math.Max(1, (int)(run / slice));

    /// <summary>The slicing of a run, for a report's text: "6 slices of 0.5 s".</summary>
    public static string DescribeSlices(TimeSpan run, TimeSpan slice, string length = "")
    {
        var slices = Slices(run, slice);
        return string.Create(CultureInfo.InvariantCulture, $"{slices} {(slices == 1 ? "slice" : "slices")} of {length}{run.TotalSeconds / slices:0.##} s");
    }

    /// <summary>Runs each side once, untimed: connections, JIT and the files' first growth are behind the rounds.</summary>
    public static async Task WarmUpAsync(IReadOnlyList<Side> sides, TimeSpan run)
    {
        foreach (var side in sides)
        {
            Console.Error.WriteLine($"  warm-up: {side.Name}");
            await side.RunAsync(run);
        }
    }

    /// <summary>
    /// The samples of each side, one per round, in round order. With <paramref name="slices"/> above 1 each side's run of
    /// a round is cut into that many slices, the sides taking turns slice by slice (the order rotating as above), and its
    /// sample is the sum of its slices: the sides of a round then meet the machine's drifts, which come and go within
    /// seconds on a shared machine, in equal measure rather than one side a whole run of them.
    /// </summary>
    public static async Task<IReadOnlyDictionary<Side, List<Sample>>> RoundsAsync(int rounds, TimeSpan run, IReadOnlyList<Side> sides, DiskFlushCounter disk, int slices = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slices, 1);
        var samples = sides.ToDictionary(side => side, _ => new List<Sample>());
        for (var round = 0; round < rounds; round++)
        {
            var parts = sides.ToDictionary(side => side, _ => new List<Sample>());
            for (var slice = 0; slice < slices; slice++)
            {
                for (var turn = 0; turn < sides.Count; turn++)
                {
                    var side = sides[(round + turn) % sides.Count];
                    if (slice == 0)
                    {
                        Console.Error.WriteLine($"  round {round + 1}/{rounds}: {side.Name}{(slices > 1 ? $" (in {slices} slices, taking turns)" : "")}");
                    }

                    parts[side].Add(await RunAsync(side, run / slices, disk));
                }
            }

            foreach (var side in sides)
            {
                samples[side].Add(Sample.Sum(parts[side]));
            }
        }

        return samples;
    }

    private static async Task<Sample> RunAsync(Side side, TimeSpan run, DiskFlushCounter disk)
    {
        var flushes = disk.Read();
        var cpu = ServerCpu(side);
        var harnessCpu = HarnessCpu();
        var started = Stopwatch.GetTimestamp();
        var operations = await side.RunAsync(run);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var serverCpu = ServerCpu(side) - cpu;
        return new Sample(operations, elapsed, serverCpu, disk.Read() - flushes, HarnessCpu() - harnessCpu);
    }

    private static TimeSpan HarnessCpu()
    {
        using var harness = Process.GetCurrentProcess();
        return harness.TotalProcessorTime;
    }

    private static TimeSpan ServerCpu(Side side) => side.Server is { } server ? ProcessCpu.Of(server.ProcessId) : TimeSpan.Zero;
}
