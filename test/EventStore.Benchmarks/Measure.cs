using System.Diagnostics;

namespace EventStore.Benchmarks;

/// <summary>
/// Runs timed operations several rounds and keeps each one's median rate, so one slow round (a GC, a disk flush) does
/// not decide. Several operations alternate within each round, so none of them gets a warmer machine than the others.
/// </summary>
internal static class Measure
{
    public static async Task<double[]> MedianRatesAsync(int rounds, params Func<Task<long>>[] operations)
    {
        var rates = operations.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < operations.Length; i++)
            {
                var stopwatch = Stopwatch.StartNew();
                var count = await operations[i]();
                rates[i].Add(count / stopwatch.Elapsed.TotalSeconds);
            }
        }

        return rates.Select(r => r.Order().ElementAt(r.Count / 2)).ToArray();
    }
}
