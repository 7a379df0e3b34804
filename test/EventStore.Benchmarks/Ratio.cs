namespace EventStore.Benchmarks;

/// <summary>Ratios of two sides of a comparison, taken within each round: what the machine did that round moves both.</summary>
internal static class Ratio
{
    /// <summary>Each round's rate of <paramref name="side"/> over that round's rate of <paramref name="other"/>.</summary>
    public static Spread PerRound(IReadOnlyList<Sample> side, IReadOnlyList<Sample> other) => PerRound(side, other, s => s.Rate);

    /// <summary>Each round's <paramref name="figure"/> of <paramref name="side"/> over that round's rate of <paramref name="other"/>.</summary>
    public static Spread PerRound(IReadOnlyList<Sample> side, IReadOnlyList<Sample> other, Func<Sample, double> figure) =>
        Spread.Of(side.Zip(other, (s, o) => figure(s) / o.Rate));
}
