using System.Globalization;

namespace EventStore.Benchmarks;

/// <summary>The median of a figure over the rounds of a run, with the lowest and the highest of them.</summary>
/// <param name="Median">The middle value (of an even count, the upper of the two middle ones).</param>
/// <param name="Min">The lowest value.</param>
/// <param name="Max">The highest value.</param>
internal sealed record Spread(double Median, double Min, double Max)
{
    public static Spread Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            throw new ArgumentException("A spread needs at least one value.", nameof(values));
        }

        return new Spread(sorted[sorted.Count / 2], sorted[0], sorted[^1]);
    }

    /// <summary>"median (min–max)", each in <paramref name="format"/>; the median alone when all values are equal.</summary>
    public string Format(string format)
    {
        string Text(double value) => value.ToString(format, CultureInfo.InvariantCulture);
        return Text(Min) == Text(Max) ? Text(Median) : $"{Text(Median)} ({Text(Min)}–{Text(Max)})";
    }
}
