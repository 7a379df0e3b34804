using System.Diagnostics;
using System.Text;

namespace EventStore.Testing;

/// <summary>
/// A local emulator the tests run as a child process on a fixed loopback port: started, stopped (as an outage would) and
/// restarted on the same port, its output kept for the message of a failed start. Started through
/// <see cref="LocalProcess.Start"/>, so it never outlives the test process. Subclasses say what to run.
/// </summary>
public abstract class LocalService : IAsyncDisposable
{
    // How long the emulator may take to close what it holds after SIGTERM before it is killed.
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);
    private readonly StringBuilder _output = new();
    private Process? _process;

    /// <summary>Creates the service on <paramref name="port"/>; <see cref="LaunchAsync"/> starts it.</summary>
    /// <param name="port">The loopback port it listens on.</param>
    protected LocalService(int port) => Port = port;

    /// <summary>The port it listens on (kept across <see cref="RestartAsync"/>).</summary>
    public int Port { get; }

    /// <summary>Its endpoint on loopback.</summary>
    public Uri ServiceUrl => new($"http://127.0.0.1:{Port}");

    /// <summary>The id of its process (the emulator itself, e.g. <c>node</c> or <c>java</c>).</summary>
    /// <exception cref="InvalidOperationException">It is not running.</exception>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("The service is not running.");

    /// <summary>
    /// Stops it as an operator would (SIGTERM, SIGKILL only if it does not exit): the port stops answering, and what it
    /// acknowledged stays stored. Killed at once, DynamoDB Local could lose a write it had just answered (an outage test
    /// found a stream written just before the stop missing after the restart, now and then under load).
    /// </summary>
    /// <returns>A task completing when the process has exited.</returns>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await LocalProcess.StopGracefullyAsync(_process, StopGrace);
            _process.Dispose();
            _process = null;
        }
    }

    /// <summary>Starts it again on the same port.</summary>
    /// <returns>A task completing when it listens again.</returns>
    public async Task RestartAsync()
    {
        await StopAsync();
        await LaunchAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>What to run: the program, its arguments, its working directory and environment variables.</summary>
    /// <returns>The command line of the service.</returns>
    protected abstract (string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory, IReadOnlyDictionary<string, string>? Environment) Command();

    /// <summary>Starts the process and waits until its port accepts connections; fails with its output otherwise.</summary>
    /// <returns>A task completing when it listens.</returns>
    protected async Task LaunchAsync()
    {
        var (fileName, arguments, workingDirectory, environment) = Command();
        _process = LocalProcess.Start(fileName, arguments, workingDirectory, _output, environment);
        try
        {
            await LocalProcess.WaitForPortAsync(_process, Port, TimeSpan.FromSeconds(60), () => $"{fileName} {string.Join(' ', arguments)}\n{LocalProcess.Text(_output)}");
        }
        catch
        {
            await StopAsync();
            throw;
        }
    }

    /// <summary>Kills the process without waiting, for the test process's exit.</summary>
    protected void Kill()
    {
        try
        {
            _process?.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
