using System.Globalization;
using System.Text;

namespace EventStore.Testing.Tests;

public sealed class LocalProcessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("fauxqs", "node")]
    [InlineData("dynamodb-local", "java")]
    [InlineData("server", "dotnet")]
    public async Task Start_TestProcessKilledWithSigkill_StopsTheChildItStarted(string child, string program)
    {
        var output = new StringBuilder();
        using var throwaway = LocalProcess.Start("dotnet", [typeof(Program).Assembly.Location, child], AppContext.BaseDirectory, output);
        await Poll.UntilAsync(
            () => throwaway.HasExited ? throw new InvalidOperationException($"The throwaway process exited:\n{LocalProcess.Text(output)}") : Started(output) is not null,
            Patience,
            () => $"the throwaway process starts {child}:\n{LocalProcess.Text(output)}");
        var (processId, port) = Started(output)!.Value;
        IsRunning(processId).Should().BeTrue();
        File.ReadAllText($"/proc/{processId}/cmdline").Split('\0')[0].Should().EndWith(program, "the launched process is the program itself");
        ProcessGroup(processId).Should().Be(processId, "the child leads a process group of its own");
        (await LocalProcess.AcceptsConnectionsAsync(port)).Should().BeTrue();

        throwaway.Kill();

        await Poll.UntilAsync(
            async () => !IsRunning(processId) && !await LocalProcess.AcceptsConnectionsAsync(port),
            Patience,
            () => $"{child} (process {processId}, port {port}) stops after the process that started it was killed");
    }

    [Fact]
    public void FreePort_ManyCalls_DistinctClaimedAndBelowTheKernelsEphemeralPorts()
    {
        var ephemeral = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split('\t').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();

        var ports = Enumerable.Range(0, 200).Select(_ => LocalProcess.FreePort()).ToList();

        ports.Should().OnlyHaveUniqueItems("a port handed out stays claimed")
            .And.AllSatisfy(port => port.Should().BeGreaterThanOrEqualTo(1024).And.Match(p => p < ephemeral[0] || p > ephemeral[1], "outgoing connections take their local ports from the ephemeral range"));
        ports.Should().AllSatisfy(port => OpenExclusively(Path.Combine(Path.GetTempPath(), "eventstore-test-ports", port.ToString(CultureInfo.InvariantCulture)))
            .Should().Throw<IOException>("the claim is held, for every other process to see"));
    }

    [Fact]
    public async Task RunAsync_ProcessExits_ReturnsItsExitCodeAndOutput()
    {
        var (exitCode, output) = await LocalProcess.RunAsync("bash", ["-c", "echo out; echo err >&2; exit 3"], AppContext.BaseDirectory, Patience);

        exitCode.Should().Be(3);
        output.Should().Contain("out").And.Contain("err");
    }

    [Fact]
    public async Task EnsureNpmPackageAsync_Installed_ReturnsItsFolderWithoutReinstalling()
    {
        var folder = await LocalProcess.EnsureNpmPackageAsync("fauxqs");
        var lockfile = new FileInfo(Path.Combine(RepositoryPaths.Services, "node_modules", ".package-lock.json"));
        var installed = lockfile.LastWriteTimeUtc;

        var again = await LocalProcess.EnsureNpmPackageAsync("fauxqs");

        again.Should().Be(folder);
        Directory.Exists(Path.Combine(folder, "dist")).Should().BeTrue();
        lockfile.Refresh();
        lockfile.LastWriteTimeUtc.Should().Be(installed, "a completed install is not run again");
    }

    private static (int ProcessId, int Port)? Started(StringBuilder output)
    {
        var line = LocalProcess.Text(output).Split('\n').FirstOrDefault(l => l.StartsWith(Program.StartedPrefix, StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }

        var parts = line[Program.StartedPrefix.Length..].Trim().Split(' ');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Whether the process runs: it exists, and is no zombie (exited, not yet reaped) unless other threads of it have not
    /// ended yet.
    /// </summary>
    internal static bool IsRunning(int processId)
    {
        try
        {
            return Stat(processId)[0] != "Z" || Directory.GetDirectories($"/proc/{processId}/task").Length > 1;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static int ProcessGroup(int processId) => int.Parse(Stat(processId)[2], CultureInfo.InvariantCulture);

    /// <summary>The fields of <c>/proc/{pid}/stat</c> after the command name: state, parent, process group, session, ….</summary>
    private static string[] Stat(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }

    private static Action OpenExclusively(string path) => () => new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None).Dispose();
}
