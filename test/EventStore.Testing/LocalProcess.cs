using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EventStore.Testing;

/// <summary>
/// The one launcher of every child process a test run starts (the emulators, the server in its own process, headless
/// Chromium, <c>npm ci</c>), and the helpers around it: installing the npm packages of <c>test/services</c> once across
/// processes, finding free loopback ports, waiting for a port to accept connections, and stopping a process tree.
/// </summary>
/// <remarks>
/// <para>
/// No child outlives the test process, however that ends. <see cref="Start"/> runs each child in a session and process
/// group of its own (<c>setsid</c>, which on Linux replaces itself with the program, so the <see cref="Process"/> is the
/// program itself) and beside it a watchdog (<c>test/services/watchdog.sh</c>) whose standard input only this process
/// holds open. When this process ends — normal exit, a failed test, Ctrl+C, or <c>dotnet test</c> killing it with
/// SIGKILL on a timeout — the pipe closes and the watchdog stops the child's whole group (SIGTERM, then SIGKILL). It does
/// the same when the child exits by itself, for whatever the child left behind.
/// </para>
/// <para>Linux only, like the rest of the test infrastructure (it needs <c>bash</c> and <c>setsid</c> from util-linux).</para>
/// </remarks>
public static class LocalProcess
{
    private static readonly string Watchdog = Path.Combine(RepositoryPaths.Services, "watchdog.sh");
    private static readonly ConcurrentDictionary<int, Process> Watchdogs = new();
    private static readonly TimeSpan NpmInstallTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The exit code <see cref="RunAsync(string, IEnumerable{string}, string, TimeSpan, IReadOnlyDictionary{string, string}?)"/> gives a process it stopped at its timeout.</summary>
    public const int TimedOut = -1;

    /// <summary>
    /// Makes sure the npm packages of <c>test/services</c> are installed (<c>npm ci</c> unless a completed install holds
    /// <paramref name="package"/>), so that a fresh clone's <c>dotnet test</c> needs nothing beforehand. Test assemblies
    /// run in parallel processes: a lock file (<c>test/services/.npm-ci.lock</c>) makes them install one at a time, and
    /// the later ones find the install the first one completed.
    /// </summary>
    /// <param name="package">A package the caller needs.</param>
    /// <returns>The package's folder.</returns>
    public static async Task<string> EnsureNpmPackageAsync(string package)
    {
        var folder = Path.Combine(RepositoryPaths.Services, "node_modules", package);
        // Waiting covers another process's whole install, and then some.
        using var installing = await CrossProcessLock.AcquireAsync(Path.Combine(RepositoryPaths.Services, ".npm-ci.lock"), NpmInstallTimeout * 2);
        if (!IsInstalled(folder))
        {
            var (exitCode, output) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], RepositoryPaths.Services, NpmInstallTimeout);
            if (exitCode != 0 || !IsInstalled(folder))
            {
                throw new InvalidOperationException($"npm ci in {RepositoryPaths.Services} failed ({exitCode}); {package} is needed by the tests:\n{output}");
            }
        }

        return folder;
    }

    /// <summary>
    /// A loopback port for a process the test starts to listen on: nothing listens on it now, and nothing else (an
    /// outgoing connection, another test assembly's choice) takes it before that process binds it (see
    /// <see cref="PortClaims"/>). It stays claimed until the test process ends, so that a service restarted on it finds it
    /// free.
    /// </summary>
    /// <returns>The port.</returns>
    public static int FreePort() => PortClaims.Claim();

    /// <summary>Waits until <paramref name="port"/> on loopback accepts connections, or fails.</summary>
    /// <param name="process">The process that should listen; its exit fails the wait at once.</param>
    /// <param name="port">The port.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="describe">What to tell when it fails (e.g. the process's output so far).</param>
    /// <returns>A task completing when the port accepts connections.</returns>
    public static Task WaitForPortAsync(Process process, int port, TimeSpan timeout, Func<string> describe)
    {
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(describe);
        return Poll.UntilAsync(
            async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"The process exited with code {process.ExitCode} before listening on port {port}:\n{describe()}");
                }

                return await AcceptsConnectionsAsync(port);
            },
            timeout,
            () => $"nothing listened on port {port}:\n{describe()}");
    }

    /// <summary>Whether something on loopback accepts connections on <paramref name="port"/> right now.</summary>
    /// <param name="port">The port.</param>
    /// <returns><see langword="true"/> when a connection was accepted.</returns>
    public static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// Stops a process as a service manager would: SIGTERM, so that it can close what it holds (DynamoDB Local its
    /// database), and after <paramref name="grace"/> SIGKILL to it and its children; then waits for it to exit.
    /// </summary>
    /// <param name="process">The process.</param>
    /// <param name="grace">How long it may take to exit after SIGTERM.</param>
    /// <returns>A task completing when it has exited.</returns>
    public static async Task StopGracefullyAsync(Process process, TimeSpan grace)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (!process.HasExited)
        {
            await RunAsync("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)], RepositoryPaths.Root, grace);
            try
            {
                await process.WaitForExitAsync().WaitAsync(grace);
            }
            catch (TimeoutException)
            {
                // Killed below.
            }
        }

        await StopAsync(process);
    }

    /// <summary>Kills a process and its children and waits for it to exit.</summary>
    /// <param name="process">The process.</param>
    /// <returns>A task completing when it has exited.</returns>
    public static async Task StopAsync(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
    }

    /// <summary>
    /// Starts a process whose output is kept (for error messages) but not shown, under a watchdog that stops it (and
    /// whatever it started) when this process ends; see the remarks of <see cref="LocalProcess"/>.
    /// </summary>
    /// <param name="fileName">The program (found on <c>PATH</c> unless it is a path).</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="workingDirectory">Its working directory.</param>
    /// <param name="output">Receives its standard output, and its standard error unless <paramref name="errors"/> does.</param>
    /// <param name="environment">Environment variables to set for it, if any.</param>
    /// <param name="errors">Receives its standard error apart from <paramref name="output"/>, if given.</param>
    /// <returns>The started process: the program itself, its id and exit code its own.</returns>
    public static Process Start(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        StringBuilder output,
        IReadOnlyDictionary<string, string>? environment = null,
        StringBuilder? errors = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(fileName);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(errors ?? output, e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {fileName}.");
        }

        Watch(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Runs a process (through <see cref="Start"/>) until it exits.</summary>
    /// <param name="fileName">The program.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="workingDirectory">Its working directory.</param>
    /// <param name="timeout">How long it may run; it is stopped then, and the exit code is <see cref="TimedOut"/>.</param>
    /// <param name="environment">Environment variables to set for it, if any.</param>
    /// <returns>Its exit code and its standard output and error.</returns>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var output = new StringBuilder();
        var exitCode = await RunAsync(fileName, arguments, workingDirectory, timeout, output, errors: null, environment);
        return (exitCode, exitCode == TimedOut ? Text(output) + $"\n(timed out after {timeout.TotalSeconds:0} s)" : Text(output));
    }

    /// <summary>
    /// Runs a process (through <see cref="Start"/>) until it exits, collecting its output as <see cref="Start"/> does:
    /// with <paramref name="errors"/>, its standard error apart from its standard output (for a program that writes its
    /// result to standard output and its log to standard error).
    /// </summary>
    /// <param name="fileName">The program.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="workingDirectory">Its working directory.</param>
    /// <param name="timeout">How long it may run; it is stopped then, and the exit code is <see cref="TimedOut"/>.</param>
    /// <param name="output">Receives its standard output, and its standard error unless <paramref name="errors"/> does.</param>
    /// <param name="errors">Receives its standard error, if given.</param>
    /// <param name="environment">Environment variables to set for it, if any.</param>
    /// <returns>Its exit code, or <see cref="TimedOut"/>.</returns>
    public static async Task<int> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        TimeSpan timeout,
        StringBuilder output,
        StringBuilder? errors = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(fileName, arguments, workingDirectory, output, environment, errors);
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            await StopAsync(process);
            return TimedOut;
        }

        // The exit event can come before the last lines of output.
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>What <see cref="Start"/> has collected of a process's output so far.</summary>
    /// <param name="output">The builder given to <see cref="Start"/>.</param>
    /// <returns>The output.</returns>
    public static string Text(StringBuilder output)
    {
        ArgumentNullException.ThrowIfNull(output);
        lock (output)
        {
            return output.ToString();
        }
    }

    private static bool IsInstalled(string packageFolder) =>
        // npm writes its hidden lockfile once the packages are in place; npm ci deletes node_modules first.
        File.Exists(Path.Combine(RepositoryPaths.Services, "node_modules", ".package-lock.json")) && Directory.Exists(packageFolder);

    /// <summary>Starts the watchdog of <paramref name="process"/> (the leader of its own process group).</summary>
    private static void Watch(Process process)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(Watchdog);
        start.ArgumentList.Add(process.Id.ToString(CultureInfo.InvariantCulture));
        Process watchdog;
        try
        {
            watchdog = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Watchdog}.");
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        // Kept here, so that the pipe stays open for as long as this process lives (or the child does).
        Watchdogs[process.Id] = watchdog;
        process.Exited += (_, _) =>
        {
            // The child is gone: let the watchdog stop whatever it left in its group, and end.
            if (Watchdogs.TryRemove(process.Id, out var done))
            {
                done.StandardInput.Close();
                done.Dispose();
            }
        };
        if (process.HasExited && Watchdogs.TryRemove(process.Id, out var late))
        {
            late.StandardInput.Close();
            late.Dispose();
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
