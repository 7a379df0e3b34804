using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ServerlessEventStore.Types;

namespace EventStore.Testing.Tests;

/// <summary>
/// <c>samples/local-notifications.sh</c>, the documented way to run the SNS/SQS emulator for the server and the
/// ReadModelWorker sample (and the one <c>.ci/samples.sh</c> uses): what it prints works, and Ctrl+C stops the emulator.
/// </summary>
public sealed partial class LocalNotificationsScriptTests
{
    // The first run installs fauxqs and Node.js 22 with npm.
    private static readonly TimeSpan StartPatience = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly string Script = Path.Combine(RepositoryPaths.Root, "samples", "local-notifications.sh");

    [Fact]
    public async Task Run_PrintedTopicAndQueue_DeliverANotificationAndSigintStopsTheEmulator()
    {
        var port = LocalProcess.FreePort();
        var output = new StringBuilder();
        // Ctrl+C as in a terminal: a process started in the background of a shell without job control (a CI runner's,
        // say) has SIGINT ignored, and bash can't trap a signal ignored when it started; env gives it back its default.
        using var script = LocalProcess.Start("env", ["--default-signal=INT", "bash", Script, "--port", port.ToString(CultureInfo.InvariantCulture), "--store-url", "http://127.0.0.1:5999"], RepositoryPaths.Root, output);
        await Poll.UntilAsync(
            () => script.HasExited ? throw new InvalidOperationException($"The script exited:\n{LocalProcess.Text(output)}") : LocalProcess.Text(output).Contains("\nReady", StringComparison.Ordinal),
            StartPatience,
            () => $"the script prints its settings:\n{LocalProcess.Text(output)}");
        var printed = LocalProcess.Text(output);
        var settings = Setting().Matches(printed).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value);
        var emulatorProcess = int.Parse(EmulatorProcess().Match(printed).Groups["id"].Value, CultureInfo.InvariantCulture);
        var serviceUrl = new Uri($"http://127.0.0.1:{port}");

        settings.Should().Contain(new Dictionary<string, string>
        {
            ["EventStore__Notifications__SnsServiceUrl"] = serviceUrl.ToString().TrimEnd('/'),
            ["Notifications__ServiceUrl"] = serviceUrl.ToString().TrimEnd('/'),
            ["EventStore__BaseAddress"] = "http://127.0.0.1:5999",
            ["AWS_REGION"] = SnsSqsEmulator.Region,
        });
        settings.Should().ContainKeys("EventStore__Notifications__SnsTopicArn", "Notifications__QueueUrl", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
        await using (var emulator = SnsSqsEmulator.Connect(serviceUrl))
        {
            var queue = await emulator.OpenQueueAsync(settings["Notifications__QueueUrl"]);
            var notification = new StreamNotification(Guid.NewGuid(), "order", 2);

            await emulator.PublishAsync(settings["EventStore__Notifications__SnsTopicArn"], StreamNotificationConverter.ToMessageBody(notification));

            var received = (await queue.ReceiveUntilAsync(r => r.Count >= 1, Patience)).Should().ContainSingle().Subject;
            received.IsEnvelope.Should().BeFalse("the queue is subscribed with raw message delivery");
            received.Notification.Should().Be(notification);
        }

        LocalProcessTests.IsRunning(emulatorProcess).Should().BeTrue();

        (await LocalProcess.RunAsync("kill", ["-INT", script.Id.ToString(CultureInfo.InvariantCulture)], RepositoryPaths.Root, Patience)).ExitCode.Should().Be(0);

        try
        {
            await script.WaitForExitAsync().WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The script had not ended {Patience.TotalSeconds:0} s after SIGINT; it printed:\n{LocalProcess.Text(output)}");
        }
        script.ExitCode.Should().Be(130, "the script ends as Ctrl+C ends it");
        LocalProcessTests.IsRunning(emulatorProcess).Should().BeFalse("the script stopped the emulator before it ended");
        (await LocalProcess.AcceptsConnectionsAsync(port)).Should().BeFalse();
        LocalProcess.Text(output).Should().Contain("fauxqs stopped");
    }

    [Fact]
    public void PackageJson_SameVersionsAsTheTestServices()
    {
        var sample = Dependencies(Path.Combine(RepositoryPaths.Root, "samples", "local-notifications", "package.json"));
        var services = Dependencies(Path.Combine(RepositoryPaths.Services, "package.json"));

        sample.Keys.Should().BeEquivalentTo("fauxqs", "node");
        services.Should().Contain(sample, "users run the emulator the tests run");
    }

    private static Dictionary<string, string> Dependencies(string packageJson)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(packageJson));
        return document.RootElement.GetProperty("dependencies").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }

    // A printed setting: "  NAME=VALUE \" on a line of its own, several on the credentials' line.
    [GeneratedRegex(@"(?<=^  |[^\S\n])(?<name>[A-Za-z_]+)=(?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Setting();

    [GeneratedRegex(@"^fauxqs \(process (?<id>\d+)\)", RegexOptions.Multiline)]
    private static partial Regex EmulatorProcess();
}
