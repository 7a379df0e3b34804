using System.Globalization;

namespace EventStore.Benchmarks;

/// <summary>
/// How long and how much the performance report measures. The defaults are the full run the README's figures come from
/// (about ten minutes on 2 cores); <c>--quick</c> is for development: 2 rounds of short runs. Options of <c>report</c>:
/// <list type="bullet">
/// <item><c>--quick</c>: the short run.</item>
/// <item><c>--rounds N</c>: rounds of every comparison (at least 1; the full run's 5 otherwise).</item>
/// <item><c>--only a,b</c>: only these sections: test-server, appends, hot-stream, reads, client-memory, cold-start.</item>
/// <item><c>--base-server DLL</c>: also run the appends and the client's reads against this other build of the server
/// (its <c>ServerlessEventStore.Server.dll</c>, e.g. built from the main branch), interleaved with this build's, for the
/// targets set relative to an earlier build.</item>
/// <item><c>--out FILE</c>: where the Markdown report goes (.artifacts/benchmarks/performance.md).</item>
/// <item><c>--readme FILE</c>: also put the report into FILE between its report markers (full runs only: no <c>--quick</c>, no <c>--only</c>, 5 rounds or more).</item>
/// </list>
/// </summary>
internal sealed record ReportOptions
{
    public static readonly IReadOnlyList<string> AllSections = ["test-server", "appends", "hot-stream", "reads", "client-memory", "cold-start"];

    public bool Quick { get; private init; }

    public int Rounds { get; private init; } = 5;

    /// <summary>How long each side of the append and hot-stream comparisons runs, each round.</summary>
    public TimeSpan AppendRun { get; private init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long each side of the read comparison reads, in whole reads of the stream, each round.</summary>
    public TimeSpan ReadRun { get; private init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long each side runs once before the rounds (connections, JIT, the files' first growth).</summary>
    public TimeSpan WarmUp { get; private init; } = TimeSpan.FromSeconds(1);

    public IReadOnlyList<string> Sections { get; private init; } = AllSections;

    public string OutputPath { get; private init; } = Path.Combine(".artifacts", "benchmarks", "performance.md");

    public string? ReadmePath { get; private init; }

    public string? BaseServerDll { get; private init; }

    /// <summary>The arguments as given after <c>report</c>, for the command line in the report.</summary>
    public string CommandLine { get; private init; } = "report";

    public bool Includes(string section) => Sections.Contains(section);

    public static ReportOptions Parse(IReadOnlyList<string> arguments)
    {
        var options = (arguments.Contains("--quick") ? QuickRun : new ReportOptions()) with { CommandLine = string.Join(' ', ["report", .. arguments]) };
        for (var i = 0; i < arguments.Count; i++)
        {
            string Value() => ++i < arguments.Count ? arguments[i] : throw new ArgumentException($"{arguments[i - 1]} needs a value.");
            options = arguments[i] switch
            {
                "--quick" => options,
                "--rounds" => options with { Rounds = int.Parse(Value(), CultureInfo.InvariantCulture) is var rounds and > 0 ? rounds : throw new ArgumentException("--rounds must be 1 or more.") },
                "--only" => options with { Sections = Value().Split(',').Select(Section).ToList() },
                "--out" => options with { OutputPath = Value() },
                "--readme" => options with { ReadmePath = Value() },
                "--base-server" => options with { BaseServerDll = File.Exists(Value()) ? Path.GetFullPath(arguments[i]) : throw new ArgumentException($"No server build at {arguments[i]}.") },
                var unknown => throw new ArgumentException($"Unknown option {unknown}; see ReportOptions.cs."),
            };
        }

        if (options.ReadmePath is not null && (options.Quick || options.Rounds < 5 || options.Sections.Count != AllSections.Count))
        {
            throw new ArgumentException("--readme takes a full run: every section, 5 rounds or more, without --quick.");
        }

        return options;
    }

    private static ReportOptions QuickRun => new()
    {
        Quick = true,
        Rounds = 2,
        AppendRun = TimeSpan.FromSeconds(0.5),
        ReadRun = TimeSpan.FromSeconds(0.3),
        WarmUp = TimeSpan.FromSeconds(0.3),
    };

    private static string Section(string name) =>
        AllSections.Contains(name) ? name : throw new ArgumentException($"Unknown section {name}; sections: {string.Join(", ", AllSections)}.");
}
