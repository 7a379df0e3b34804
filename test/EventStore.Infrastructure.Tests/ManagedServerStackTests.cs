using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using static EventStore.Infrastructure.Tests.EventStoreStackTests;
using static EventStore.Infrastructure.Tests.SynthesizedTemplate;

namespace EventStore.Infrastructure.Tests;

/// <summary>The managed build of the server, the documented alternative to Native AOT: the rest of the stack is the same.</summary>
public sealed class ManagedServerStackTests(ManagedServerStackFixture fixture, EventStoreStackFixture nativeAotFixture)
    : IClassFixture<ManagedServerStackFixture>, IClassFixture<EventStoreStackFixture>
{
    private readonly Template _template = fixture.Template;

    [Fact]
    public void Function_RunsTheExecutableOnArm64Dotnet10BehindTheWebAdapter() =>
        HasOneArm64FunctionBehindTheWebAdapter(_template, "dotnet10", "ServerlessEventStore.Server");

    [Fact]
    public void Function_EnvironmentStartsTheServerThroughTheAdaptersWrapper()
    {
        var environment = ServerEnvironment(LogicalId(fixture.Stack.Table.Table));
        environment["AWS_LAMBDA_EXEC_WRAPPER"] = "/opt/bootstrap";

        _template.HasResourceProperties("AWS::Lambda::Function", new Dictionary<string, object>
        {
            ["Environment"] = new Dictionary<string, object> { ["Variables"] = Match.ObjectEquals(environment) },
        });
    }

    [Fact]
    public void Template_DiffersFromTheNativeAotStacksOnlyInTheFunctionsRuntimeHandlerDescriptionAndEnvironment()
    {
        var functionId = LogicalId(fixture.Stack.Server.Function);
        var managed = WithoutBuildProperties(fixture.Json, functionId);
        var nativeAot = WithoutBuildProperties(nativeAotFixture.Json, functionId);

        managed["Resources"]!.AsObject().Select(resource => resource.Key)
            .Should().BeEquivalentTo(nativeAot["Resources"]!.AsObject().Select(resource => resource.Key));
        foreach (var (section, value) in managed)
        {
            JsonNode.DeepEquals(value, nativeAot[section]).Should().BeTrue($"{section} should be the same: {value?.ToJsonString()}");
        }
    }

    [Fact]
    public void Constructor_BundleWithoutTheExecutable_ThrowsNamingThePublishScriptsManagedOption()
    {
        var create = (string folder) => new EventStoreStack(
            new App(), "Incomplete", new EventStoreStackProps { LambdaCodePath = folder, ServerBuild = ServerBuild.Managed });

        WithBundle([], create).Should().Throw<ArgumentException>()
            .WithMessage("*Managed build*no 'ServerlessEventStore.Server';*publish-lambda.sh --managed'*");
    }

    private static JsonObject WithoutBuildProperties(JsonObject template, string functionId)
    {
        var copy = template.DeepClone().AsObject();
        var properties = copy["Resources"]![functionId]!["Properties"]!.AsObject();
        foreach (var property in new[] { "Runtime", "Handler", "Description", "Environment" })
        {
            properties.Remove(property);
        }

        return copy;
    }
}
