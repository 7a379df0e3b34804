using System.Text.RegularExpressions;

namespace EventStore.Testing.Tests;

/// <summary>
/// Every block of test code between <c>// README … begins</c> and <c>// README … ends</c> appears, as it is (indentation
/// aside), in the repository's README.md: the README's code is the code the tests compile and run, and a change to
/// either side that the other does not follow fails here.
/// </summary>
public sealed partial class ReadmeSnippetTests
{
    public static TheoryData<string, string> Snippets()
    {
        var data = new TheoryData<string, string>();
        var root = RepositoryRoot();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "test"), "*.cs", SearchOption.AllDirectories)
                     .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                    && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            foreach (Match match in Block().Matches(File.ReadAllText(file)))
            {
                data.Add($"{Path.GetRelativePath(root, file)}: {match.Groups["name"].Value}", Dedent(match.Groups["body"].Value));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public void Snippet_AppearsInTheReadme(string where, string snippet)
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");

        // A snippet inside a list item is indented as a whole.
        string[] indents = ["", "  ", "    "];
        indents.Should().Contain(
            indent => readme.Contains(string.Join("\n", snippet.Split('\n').Select(line => line.Length == 0 ? line : indent + line)), StringComparison.Ordinal),
            $"the README shows the code of {where}:\n{snippet}");
    }

    [Fact]
    public void Snippets_AreFound()
    {
        Snippets().Count.Should().BeGreaterThan(3, "the tests hold the README's examples");
    }

    private static string Dedent(string body)
    {
        var lines = body.ReplaceLineEndings("\n").Split('\n').ToList();
        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[0]))
        {
            lines.RemoveAt(0);
        }

        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[^1]))
        {
            lines.RemoveAt(lines.Count - 1);
        }

        var indent = lines.Where(line => line.Trim().Length > 0).Min(line => line.Length - line.TrimStart().Length);
        return string.Join("\n", lines.Select(line => line.Length >= indent ? line[indent..] : line.TrimStart()));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "EventStore.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("No EventStore.sln above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^[ \t]*// README (?<name>[^\n]+?) begins[^\n]*\n(?<body>.*?)^[ \t]*// README \k<name> ends", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Block();
}
