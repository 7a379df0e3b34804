using System.Net;
using System.Text.Json;
using EventStore.Testing;

namespace ServerlessEventStore.Server.Tests.Browser;

/// <summary>
/// The interactive API page as a person sees it: the server's <c>/</c> loaded in headless Chromium, Swagger UI's scripts
/// run, and the rendered page checked against the contract. A screenshot is kept in <c>.artifacts/api-page.png</c>.
/// </summary>
public sealed class ApiPageTests(EventStoreServerFixture server) : IClassFixture<EventStoreServerFixture>
{
    private const int MinimalScreenshotBytes = 20_000;

    [Fact]
    public async Task RootPage_InChromium_RendersEveryOperationOfTheContract()
    {
        var dom = await HeadlessChromium.DumpDomAsync(server.BaseAddress);

        // Swagger UI breaks long paths with <wbr>; without them the text is the path as the contract writes it.
        var text = dom.Replace("<wbr>", string.Empty, StringComparison.Ordinal);
        text.Should().Contain("<title>ServerlessEventStore API</title>", "/ redirects to the interactive page");
        var operations = ContractOperations();
        operations.Should().HaveCountGreaterThanOrEqualTo(6);
        foreach (var operation in operations)
        {
            text.Should().Contain($"<div class=\"opblock opblock-{operation.Method}\" id=\"operations-{operation.Tag}-{operation.OperationId}\">",
                $"{operation.Method.ToUpperInvariant()} {operation.Path} is rendered as an operation");
            text.Should().Contain($"data-path=\"{operation.Path}\"").And.Contain($"<span>{operation.Path}</span>");
            text.Should().Contain($">{WebUtility.HtmlEncode(operation.Summary)}<", $"the summary of {operation.OperationId} is shown");
        }

        text.Should().Contain("/streams/{streamType}/{streamId}/events/{streamRevision}").And.Contain(">Append new events to stream<");
    }

    [Fact]
    public async Task RootPage_InChromium_ScreenshotIsKeptAsArtifact()
    {
        var path = Path.Combine(RepositoryPaths.Root, ".artifacts", "api-page.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Delete(path);

        await HeadlessChromium.ScreenshotAsync(server.BaseAddress, path, 1280, 2000);

        var file = new FileInfo(path);
        file.Exists.Should().BeTrue($"Chromium writes the screenshot to {path}");
        file.Length.Should().BeGreaterThan(MinimalScreenshotBytes, "a rendered page is more than a blank PNG");
        var header = new byte[8];
        await using (var stream = file.OpenRead())
        {
            await stream.ReadExactlyAsync(header);
        }

        header.Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A);
    }

    private static List<ContractOperation> ContractOperations()
    {
        using var contract = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, "EventStore.Types", "Contract", "openapi.json")));
        return
        [
            .. from path in contract.RootElement.GetProperty("paths").EnumerateObject()
               from operation in path.Value.EnumerateObject()
               where operation.Value.ValueKind == JsonValueKind.Object && operation.Value.TryGetProperty("operationId", out _)
               select new ContractOperation(
                   path.Name,
                   operation.Name,
                   operation.Value.GetProperty("operationId").GetString()!,
                   operation.Value.GetProperty("tags")[0].GetString()!,
                   operation.Value.GetProperty("summary").GetString()!),
        ];
    }

    private sealed record ContractOperation(string Path, string Method, string OperationId, string Tag, string Summary);
}
