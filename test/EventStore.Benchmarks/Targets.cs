using System.Globalization;

namespace EventStore.Benchmarks;

/// <summary>
/// The performance targets, each against its figure of this run (the median of the rounds) where the run measured it.
/// Those relative to an earlier build (appends with 1 writer no slower, reads at page size 1000 1.3× faster) are
/// measured when the run has that build's server as its base (<c>--base-server</c>), interleaved with this one.
/// </summary>
internal static class Targets
{
    public static string Markdown(AppendResults? appends, ReadResults? reads, ServerMemory? memory, ColdStartResults? coldStart)
    {
        var table = new MarkdownTable("target", "this run", "met");
        if (appends is not null)
        {
            Row(table, "appends/s over HTTP, 16 writers ≥ 2× the disk's one-commit-per-append ceiling", appends.ToCeiling(appends[16].OverHttp), m => m >= 2);
            Relative(table, "appends/s over HTTP, 1 writer ≥ the base build's", appends[1].OverHttp, appends[1].Base, m => m >= 1);
        }

        if (coldStart is not null)
        {
            var ratio = coldStart.Ratio("server-aot", "bare-aot");
            table.Row(
                "cold start of the Native AOT server ≤ 1.5× the bare Native AOT app's",
                ratio is null ? $"not available: {coldStart["server-aot"].Failure ?? coldStart["bare-aot"].Failure}" : ratio.Format("0.00"),
                ratio is null ? "no" : Met(ratio.Median <= 1.5));
        }

        if (reads is not null)
        {
            Relative(table, "events/s through the client, page size 1000 ≥ 1.3× the base build's", reads[1000].Client, reads[1000].Base, m => m >= 1.3);
            foreach (var size in reads.ByPageSize)
            {
                Row(table, $"client ÷ raw HttpClient ≥ 0.9, page size {size.PageSize}", size.ClientToRaw, m => m >= 0.9);
            }
        }

        if (memory is not null)
        {
            var settled = string.Create(CultureInfo.InvariantCulture, $"server RSS after the loads and {ServerMemory.Settle.TotalSeconds:0} s idle ≤ 1.2× idle");
            Row(table, settled, new Spread(memory.AfterSettleToIdle, memory.AfterSettleToIdle, memory.AfterSettleToIdle), m => m <= 1.2);
        }

        return table.ToString();
    }

    private static void Row(MarkdownTable table, string target, Spread measured, Func<double, bool> met) =>
        table.Row(target, measured.Format("0.00"), Met(met(measured.Median)));

    private static void Relative(MarkdownTable table, string target, IReadOnlyList<Sample> side, IReadOnlyList<Sample>? baseSide, Func<double, bool> met)
    {
        if (baseSide is null)
        {
            table.Row(target, "not measured: no base build (`--base-server`)", string.Empty);
            return;
        }

        Row(table, target, Ratio.PerRound(side, baseSide), met);
    }

    private static string Met(bool met) => met ? "yes" : "no";
}
