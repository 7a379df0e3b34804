namespace EventStore.Benchmarks;

/// <summary>Ratios of two sides of a comparison, taken within each round: what the machine did that round moves both.</summary>
internal static class Ratio
{
    /// <summary>Each round's rate of <paramref name="side"/> over that round's rate of <paramref name="other"/>.</summary>
    public static Spread PerRound(IReadOnlyList<Sample> side, IReadOnlyList<Sample> other) =>
        Spread.Of(side.Zip(other, (s, o) => s.Rate / o.Rate));
}
