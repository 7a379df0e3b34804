using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using Constructs;

namespace EventStore.Infrastructure.Tests;

/// <summary>A stack synthesised once per test class, offline, in a dummy account and region, with a stand-in Lambda bundle of either build.</summary>
public abstract class SynthesizedTemplate : IDisposable
{
    private readonly string _workFolder = Path.Combine(Path.GetTempPath(), $"t-{Guid.NewGuid():N}");

    protected SynthesizedTemplate()
    {
        BundleFolder = Path.Combine(_workFolder, "bundle");
        Directory.CreateDirectory(BundleFolder);
        // Stand-ins for what either build's bundle holds: the server's executable and the Native AOT build's bootstrap.
        File.WriteAllText(Path.Combine(BundleFolder, EventStoreFunction.Handler), "#!/bin/sh\n");
        File.WriteAllText(Path.Combine(BundleFolder, EventStoreFunction.Bootstrap), "#!/bin/sh\n");
        App = new App(new AppProps { Outdir = Path.Combine(_workFolder, "cdk.out") });
    }

    public static Amazon.CDK.Environment Env { get; } = new() { Account = "123456789012", Region = "eu-central-1" };

    public App App { get; }

    public string BundleFolder { get; }

    public Template Template { get; private set; } = null!;

    /// <summary>The template as JSON, for assertions over all resources of a kind.</summary>
    public JsonObject Json { get; private set; } = null!;

    public IEnumerable<(string LogicalId, JsonObject Resource)> Resources(string type) =>
        Json["Resources"]!.AsObject()
            .Where(resource => (string?)resource.Value!["Type"] == type)
            .Select(resource => (resource.Key, resource.Value!.AsObject()));

    /// <summary>The CloudFormation logical id of a construct's resource (its default child, or itself).</summary>
    public static string LogicalId(IConstruct construct)
    {
        var element = (CfnElement)(construct.Node.DefaultChild ?? construct);
        return Stack.Of(element).GetLogicalId(element);
    }

    public static Dictionary<string, object> Ref(string logicalId) => new() { ["Ref"] = logicalId };

    public static Dictionary<string, object> GetAtt(string logicalId, string attribute) =>
        new() { ["Fn::GetAtt"] = new object[] { logicalId, attribute } };

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected void Synthesize(Stack stack)
    {
        Template = Template.FromStack(stack);
        Json = JsonNode.Parse(JsonSerializer.Serialize(Template.ToJSON()))!.AsObject();
    }

    protected virtual void Dispose(bool disposing)
    {
        if (Directory.Exists(_workFolder))
        {
            Directory.Delete(_workFolder, recursive: true);
        }
    }
}
