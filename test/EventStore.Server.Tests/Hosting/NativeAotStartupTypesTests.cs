using System.Collections;
using System.Net;
using System.Reflection;
using System.Text;
using System.Xml.Linq;
using Amazon.DynamoDBv2;
using EventStore.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerlessEventStore.Testing;

namespace ServerlessEventStore.Server.Tests.Hosting;

/// <summary>
/// The Native AOT server's list of the generic types its container makes on the way to its first answers
/// (<c>EventStore.Server/Hosting/NativeAotStartupTypes.rd.xml</c>, compiled in by <c>RdXmlFile</c>). Under Native AOT
/// the container closes an open-generic registration (<c>IOptions&lt;&gt;</c>, <c>ILogger&lt;&gt;</c>, the arrays behind
/// <c>IEnumerable&lt;T&gt;</c>) with <c>MakeGenericType</c>, and a type the compiler did not make is built by the
/// runtime's type loader, about 20 ms of a cold start in all; the types listed are made by the compiler instead. This
/// test starts the server on each store as it is deployed, sends it the first requests a cold start serves, and reads
/// back from the container which types it closed: each must be in the file. After a change that needs more, set
/// <c>EVENTSTORE_UPDATE_AOT_TYPES=1</c> and run this test: it rewrites the file with what it found.
/// </summary>
[Trait("Server", "InProcess")]
public sealed class NativeAotStartupTypesTests
{
    private const string UpdateVariable = "EVENTSTORE_UPDATE_AOT_TYPES";

    private static readonly string DirectivesFile = Path.Combine(RepositoryPaths.Root, "EventStore.Server", "Hosting", "NativeAotStartupTypes.rd.xml");

    [Fact]
    public async Task StartupTypes_FirstRequestsOnEitherStore_AreAllMadeByTheCompiler()
    {
        var needed = new SortedSet<ListedType>();
        needed.UnionWith(await ClosedTypesAsync(new Dictionary<string, string?>()));
        var dynamoDb = await DynamoDbLocal.SharedAsync();
        var table = $"t-{Guid.NewGuid():N}";
        // As the function runs on Lambda (EventStore.Infrastructure): DynamoDB, no stream relay, JSON console logs.
        needed.UnionWith(await ClosedTypesAsync(
            new Dictionary<string, string?>
            {
                ["EventStore:Storage"] = "DynamoDb",
                ["EventStore:DynamoDb:TableName"] = table,
                ["EventStore:DynamoDb:ServiceUrl"] = dynamoDb.ServiceUrl.ToString(),
                ["EventStore:DynamoDb:CreateTable"] = "true",
                ["EventStore:Notifications:StreamRelay"] = "false",
                ["Logging:Console:FormatterName"] = "json",
            },
            async services => await services.GetRequiredService<IAmazonDynamoDB>().DeleteTableAsync(table)));

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(DirectivesFile, Render(needed));
        }

        var listed = Read(DirectivesFile);
        needed.Except(listed).Select(type => $"{type.Name} ({type.Assembly})").Should().BeEmpty(
            $"every type the server's container closes at start-up and on its first requests is made by the compiler ({DirectivesFile}); to rewrite the file, run this test with {UpdateVariable}=1");
    }

    /// <summary>Starts the server with <paramref name="settings"/>, sends the first requests, and returns the types its container closed.</summary>
    private static async Task<IReadOnlyCollection<ListedType>> ClosedTypesAsync(
        Dictionary<string, string?> settings, Func<IServiceProvider, Task>? cleanUp = null)
    {
        // The deployed server logs to the console; nothing needs to reach it here.
        settings["Logging:LogLevel:Default"] = "None";
        var options = new EventStoreTestServerOptions { ConfigureLogging = logging => logging.AddConsole() };
        foreach (var (key, value) in settings)
        {
            options.Settings[key] = value;
        }

        await using var server = await EventStoreTestServer.StartAsync(options);
        try
        {
            using var http = server.CreateHttpClient();
            var stream = $"streams/aot-types/{Guid.NewGuid()}";
            var body = $$$$"""{"event":{"eventId":"{{{{Guid.NewGuid()}}}}","eventType":"Started","payload":{"n":1}}}""";
            using (var appended = await http.PutAsync($"{stream}/events/1", new StringContent(body, Encoding.UTF8, "application/json")))
            {
                appended.StatusCode.Should().Be(HttpStatusCode.Created, await appended.Content.ReadAsStringAsync());
            }

            foreach (var path in (string[])[$"{stream}/events", "liveness-check", "health/ready"])
            {
                using var response = await http.GetAsync(path);
                response.StatusCode.Should().Be(HttpStatusCode.OK, $"GET {path}: {await response.Content.ReadAsStringAsync()}");
            }

            return ContainerTypes.Closed(server.Services);
        }
        finally
        {
            if (cleanUp is not null)
            {
                await cleanUp(server.Services);
            }
        }
    }

    private static SortedSet<ListedType> Read(string file) =>
        [.. XDocument.Load(file).Descendants().Where(element => element.Name.LocalName == "Type")
            .Select(type => new ListedType(type.Parent!.Attribute("Name")!.Value, type.Attribute("Name")!.Value))];

    private static string Render(IEnumerable<ListedType> types)
    {
        XNamespace directives = "http://schemas.microsoft.com/netfx/2013/01/metadata";
        var document = new XDocument(
            new XComment($" Made by test/EventStore.Server.Tests/Hosting/{nameof(NativeAotStartupTypesTests)}.cs ({UpdateVariable}=1): the generic types the server's container closes at start-up and on its first requests, made by the compiler rather than by the runtime's type loader. "),
            new XElement(
                directives + "Directives",
                new XElement(
                    directives + "Application",
                    types.GroupBy(type => type.Assembly).Select(assembly => new XElement(
                        directives + "Assembly",
                        new XAttribute("Name", assembly.Key),
                        assembly.Select(type => new XElement(directives + "Type", new XAttribute("Name", type.Name), new XAttribute("Dynamic", "Required All"))))))));
        return document.Declaration + document.ToString() + Environment.NewLine;
    }
}

/// <summary>A type named as a directives file names it: by its assembly and its name (generic arguments with theirs).</summary>
/// <param name="Assembly">The assembly of the type (of its generic definition; of its element, for an array).</param>
/// <param name="Name">The type's full name, generic arguments as <c>[[Name,Assembly]]</c>, arrays with <c>[]</c>.</param>
internal sealed record ListedType(string Assembly, string Name) : IComparable<ListedType>
{
    public static ListedType Of(Type type) =>
        new((type.IsArray ? type.GetElementType()! : type).Assembly.GetName().Name!, NameOf(type));

    public int CompareTo(ListedType? other) =>
        other is null ? 1 : string.CompareOrdinal(Assembly, other.Assembly) is var byAssembly and not 0 ? byAssembly : string.CompareOrdinal(Name, other.Name);

    private static string NameOf(Type type) => type switch
    {
        { IsArray: true } => NameOf(type.GetElementType()!) + "[]",
        { IsConstructedGenericType: true } =>
            $"{type.GetGenericTypeDefinition().FullName}[{string.Join(",", type.GetGenericArguments().Select(argument => $"[{NameOf(argument)},{argument.Assembly.GetName().Name}]"))}]",
        _ => type.FullName!,
    };
}

/// <summary>
/// What the container of Microsoft.Extensions.DependencyInjection made: read from its cache of call sites (private to
/// it; a change of its insides fails here, saying so, rather than passing with nothing found).
/// </summary>
internal static class ContainerTypes
{
    private const BindingFlags Members = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    /// <summary>The constructed generic types the container created, and the arrays it made for <c>IEnumerable&lt;T&gt;</c>.</summary>
    public static IReadOnlyCollection<ListedType> Closed(IServiceProvider services)
    {
        var factory = Member(services, "CallSiteFactory");
        var cache = Member(factory, "_callSiteCache") as IDictionary
            ?? throw new InvalidOperationException("The container's call-site cache is not a dictionary: its insides changed; update ContainerTypes.");
        var types = new SortedSet<ListedType>();
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (DictionaryEntry entry in cache)
        {
            Visit(entry.Value, types, seen);
        }

        types.Should().NotBeEmpty("the container closes generic types (IOptions<>, ILogger<>) at start-up");
        return types;
    }

    private static void Visit(object? callSite, SortedSet<ListedType> types, HashSet<object> seen)
    {
        if (callSite is null || !seen.Add(callSite))
        {
            return;
        }

        if (OptionalMember(callSite, "ImplementationType") is Type { IsConstructedGenericType: true } implementation)
        {
            types.Add(ListedType.Of(implementation));
        }

        if (OptionalMember(callSite, "ItemType") is Type item)
        {
            types.Add(ListedType.Of(item.MakeArrayType()));
        }

        foreach (var name in (string[])["ServiceCallSites", "ParameterCallSites"])
        {
            if (OptionalMember(callSite, name) is IEnumerable children)
            {
                foreach (var child in children)
                {
                    Visit(child, types, seen);
                }
            }
        }
    }

    private static object Member(object instance, string name) =>
        OptionalMember(instance, name)
        ?? throw new InvalidOperationException($"{instance.GetType().FullName} has no {name}: the container's insides changed; update ContainerTypes.");

    private static object? OptionalMember(object instance, string name)
    {
        for (var type = instance.GetType(); type is not null; type = type.BaseType)
        {
            if (type.GetField(name, Members) is { } field)
            {
                return field.GetValue(instance);
            }

            if (type.GetProperty(name, Members) is { } property)
            {
                return property.GetValue(instance);
            }
        }

        return null;
    }
}
