using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using EventStore.Testing;

namespace EventStore.Benchmarks;

/// <summary>
/// A build of an app for the cold-start comparison: <c>dotnet publish -c Release -r {rid}</c> of a project with the
/// build's properties, into <c>.artifacts/benchmarks/{name}/</c> (its own build folders there as well, so that the
/// builds do not share intermediate files and a later run rebuilds only what changed). Published once per run, before
/// anything is timed; a build whose publish fails is kept with the reason, so that the report says what is not
/// available rather than failing.
/// </summary>
internal sealed partial record PublishedApp(string Name, string Program, bool IsNative, string? Folder, string? Failure, TimeSpan PublishTime)
{
    private const string NativeAot = "PublishAot=true";
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(15);

    /// <summary>The command that starts the app: the native executable, or <c>dotnet</c> with the app's assembly.</summary>
    public (string FileName, IReadOnlyList<string> Arguments) Command =>
        IsNative ? (Path.Combine(Folder!, Program), []) : ("dotnet", [Path.Combine(Folder!, Program + ".dll")]);

    /// <summary>Publishes <paramref name="project"/> (relative to the repository's root) as the build <paramref name="name"/>.</summary>
    /// <param name="name">The build's name, also its folder's.</param>
    /// <param name="project">The project file.</param>
    /// <param name="program">The app's assembly name: its executable, and its .dll.</param>
    /// <param name="properties">The build's MSBuild properties; with <c>PublishAot=true</c> a native executable.</param>
    public static async Task<PublishedApp> PublishAsync(string name, string project, string program, params string[] properties)
    {
        var root = Path.Combine(RepositoryPaths.Root, ".artifacts", "benchmarks", name);
        var folder = Path.Combine(root, "app");
        if (Directory.Exists(folder))
        {
            // Never time what an earlier run published.
            Directory.Delete(folder, recursive: true);
        }

        Console.Error.WriteLine($"publishing {name}…");
        var started = Stopwatch.GetTimestamp();
        var output = new StringBuilder();
        string[] arguments =
        [
            "publish", Path.Combine(RepositoryPaths.Root, project), "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier,
            "--artifacts-path", Path.Combine(root, "build"), "-o", folder, "--disable-build-servers", "-nologo",
            .. properties.Select(p => "-p:" + p),
        ];
        var exitCode = await LocalProcess.RunAsync("dotnet", arguments, RepositoryPaths.Root, PublishTimeout, output);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var native = properties.Contains(NativeAot);
        var publish = $"`dotnet publish {string.Join(' ', properties.Select(p => "-p:" + p))}`";
        if (exitCode != 0)
        {
            return new PublishedApp(name, program, native, null, $"{publish} failed: {Errors(LocalProcess.Text(output), exitCode)}", elapsed);
        }

        // A build that silently fell back to IL (a property that keeps the native compilation from running) is no native build.
        return native && !File.Exists(Path.Combine(folder, program))
            ? new PublishedApp(name, program, native, null, $"{publish} made no native executable {program}", elapsed)
            : new PublishedApp(name, program, native, folder, null, elapsed);
    }

    /// <summary>How many distinct errors the build reported, their codes and where the first one is; or else how it ended.</summary>
    private static string Errors(string output, int exitCode)
    {
        var errors = ErrorLine().Matches(output).Select(m => (Place: m.Groups["place"].Value, Code: m.Groups["code"].Value)).Distinct().ToList();
        if (errors.Count == 0)
        {
            return exitCode == LocalProcess.TimedOut ? $"no result within {PublishTimeout.TotalMinutes:0} min" : $"exit code {exitCode}";
        }

        var codes = string.Join(", ", errors.Select(e => e.Code).Distinct());
        var first = errors[0].Place.Replace(RepositoryPaths.Root + "/", string.Empty, StringComparison.Ordinal);
        return $"{errors.Count} error{(errors.Count == 1 ? string.Empty : "s")} ({codes}), the first in {first}";
    }

    // "/path/File.cs(16,9): error IL2026: message [/path/Project.csproj::TargetFramework=net10.0]"
    [GeneratedRegex(@"^\s*(?<place>\S.*?): error (?<code>[A-Z]+[0-9]+): ", RegexOptions.Multiline)]
    private static partial Regex ErrorLine();
}
