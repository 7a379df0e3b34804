using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EventStore.Testing;

/// <summary>
/// Helpers for the local services the tests run as child processes: installing their npm packages once, finding free
/// loopback ports, waiting for a port to accept connections, and stopping a process tree.
/// </summary>
public static class LocalProcess
{
    private static readonly SemaphoreSlim NpmInstall = new(1, 1);

    /// <summary>
    /// Makes sure the npm packages of <c>test/services</c> are installed (<c>npm ci</c> when <c>node_modules</c> lacks
    /// <paramref name="package"/>), so that a fresh clone's <c>dotnet test</c> needs nothing beforehand.
    /// </summary>
    /// <param name="package">A package the caller needs.</param>
    /// <returns>The package's folder.</returns>
    public static async Task<string> EnsureNpmPackageAsync(string package)
    {
        var folder = Path.Combine(RepositoryPaths.Services, "node_modules", package);
        await NpmInstall.WaitAsync();
        try
        {
            if (!Directory.Exists(folder))
            {
                var (exitCode, output) = await RunAsync("npm", "ci --no-audit --no-fund", RepositoryPaths.Services, TimeSpan.FromMinutes(5));
                if (exitCode != 0 || !Directory.Exists(folder))
                {
                    throw new InvalidOperationException($"npm ci in {RepositoryPaths.Services} failed ({exitCode}); {package} is needed by the tests:\n{output}");
                }
            }

            return folder;
        }
        finally
        {
            NpmInstall.Release();
        }
    }

    /// <summary>A loopback port that nothing listens on right now.</summary>
    /// <returns>The port.</returns>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until <paramref name="port"/> on loopback accepts connections, or fails.</summary>
    /// <param name="process">The process that should listen; its exit fails the wait at once.</param>
    /// <param name="port">The port.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="describe">What to tell when it fails (e.g. the process's output so far).</param>
    /// <returns>A task completing when the port accepts connections.</returns>
    public static async Task WaitForPortAsync(Process process, int port, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The process exited with code {process.ExitCode} before listening on port {port}:\n{describe()}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"Nothing listened on port {port} within {timeout.TotalSeconds:0} s:\n{describe()}");
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

    /// <summary>Starts a process whose output is kept (for error messages) but not shown.</summary>
    /// <param name="fileName">The program.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="workingDirectory">Its working directory.</param>
    /// <param name="output">Receives its standard output and error.</param>
    /// <param name="environment">Environment variables to set for it, if any.</param>
    /// <returns>The started process.</returns>
    public static Process Start(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        StringBuilder output,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {fileName}.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string fileName, string arguments, string workingDirectory, TimeSpan timeout)
    {
        var output = new StringBuilder();
        using var process = Start(fileName, arguments.Split(' '), workingDirectory, output);
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            await StopAsync(process);
            return (-1, output + $"\n(timed out after {timeout.TotalSeconds:0} s)");
        }

        return (process.ExitCode, output.ToString());
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
