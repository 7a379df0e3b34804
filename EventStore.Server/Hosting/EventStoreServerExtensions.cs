using System.Text.Json;
using System.Text.Json.Serialization;
using ServerlessEventStore.Server.Api;
using ServerlessEventStore.Server.Authentication;
using ServerlessEventStore.Server.Browser;
using ServerlessEventStore.Server.Generated;
using ServerlessEventStore.Server.Health;
using ServerlessEventStore.Server.Notifications;
using ServerlessEventStore.Server.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ServerlessEventStore.Server.Storage.DynamoDb;
using ServerlessEventStore.Server.Storage.Sqlite;
using ServerlessEventStore.Server.Telemetry;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Hosting;

/// <summary>Sets up the event store server: its services on the builder, its pipeline and endpoints on the app.</summary>
public static class EventStoreServerExtensions
{
    private const string OpenApiDocumentPath = "/openapi/openapi-spec.json";

    /// <summary>
    /// Registers the server's services: the configured store (validated at start-up), the readiness checks of its
    /// dependencies (<c>/health/ready</c>), the contract's implementation,
    /// problem details with a request id on every error, the request body limit, and OpenTelemetry export when
    /// configured (<c>EventStore:Telemetry:Console</c>, <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>), and authentication when
    /// configured (<c>EventStore:Authentication</c>).
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <returns>The same builder.</returns>
    public static WebApplicationBuilder AddEventStoreServer(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddEventStoreHttpLimits();
        var services = builder.Services;
        services.AddOptions<HttpOptions>().BindConfiguration(HttpOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HttpOptions>, HttpOptionsValidator>());
        services.AddSingleton<LargeBodyAdmission>();
        services.AddHostedService<IdleMemoryTrimmer>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<ServerTelemetry>();
        builder.AddEventStoreTelemetry();
        builder.AddEventStoreAuthentication();
        services.AddEventStoreNotifications();
        // The store chosen here is the only one registered: its module brings its port, settings and change feed.
        var server = services.AddOptions<EventStoreServerOptions>()
            .BindConfiguration(EventStoreServerOptions.SectionName)
            .Validate(
                options => options.IsSqlite || options.IsDynamoDb,
                $"EventStore:Storage must be '{EventStoreServerOptions.SqliteStorage}' (the embedded store) or '{EventStoreServerOptions.DynamoDbStorage}'.")
            .ValidateOnStart();
        var storage = builder.Configuration.GetSection(EventStoreServerOptions.SectionName).Get<EventStoreServerOptions>() ?? new EventStoreServerOptions();
        if (storage.IsDynamoDb)
        {
            services.AddDynamoDbEventStorage(builder.Configuration);
        }
        else if (storage.IsSqlite)
        {
            services.AddSqliteEventStorage();
        }

        // After the store's module: its preparation at start-up runs before the readiness checks' first report.
        services.AddEventStoreReadiness();
        if (!string.IsNullOrEmpty(builder.Configuration[$"{NotificationOptions.SectionName}:{nameof(NotificationOptions.SnsTopicArn)}"]))
        {
            services.AddReadinessCheck<SnsTopicReadinessCheck>("sns");
        }

        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions["requestId"] = context.HttpContext.TraceIdentifier);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.ConfigureHttpJsonOptions(options =>
        {
            ConfigureJson(options.SerializerOptions);
            // The API's types only, made at build time: no type is serialized by reflection, under JIT as under AOT.
            options.SerializerOptions.TypeInfoResolverChain.Clear();
            options.SerializerOptions.TypeInfoResolverChain.Add(EventStoreJson.TypeInfoResolver);
            options.SerializerOptions.TypeInfoResolverChain.Add(ApiJsonContext.Default);
        });
        // Resolved at the first request: with an invalid EventStore:Storage no store is registered, and start-up says why.
        services.TryAddSingleton<IEventStoreContract>(provider =>
            new EventStoreApi(provider.GetRequiredService<IEventStorage>(), provider.GetRequiredService<TimeProvider>()));
        return builder;
    }

    /// <summary>
    /// Adds the server's pipeline and endpoints: request logging, problem details for errors, authentication when
    /// configured, the contract's API (every endpoint but the liveness check behind authentication, if on), readiness at
    /// <c>/health/ready</c> (anonymous), the
    /// OpenAPI document at <c>/openapi/openapi-spec.json</c>, the interactive page at <c>/openapi/</c>, and the stream
    /// browser at <c>/</c>.
    /// </summary>
    /// <param name="app">The application.</param>
    /// <returns>The same application.</returns>
    public static WebApplication MapEventStoreServer(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<RequestLoggingMiddleware>();
        app.UseExceptionHandler();
        app.UseEventStoreAuthentication();
        app.UseMiddleware<RequestBodyGate>();
        app.UseStatusCodePages();
        app.UseSwaggerUI(options =>
        {
            options.RoutePrefix = "openapi";
            options.DocumentTitle = "ServerlessEventStore API";
            options.SwaggerEndpoint(OpenApiDocumentPath, "ServerlessEventStore");
            options.EnableDeepLinking();
        });

        var document = ReadOpenApiDocument();
        app.MapGet(OpenApiDocumentPath, () => Results.Bytes(document, "application/json")).ExcludeFromDescription();
        app.MapStreamBrowser();
        app.MapGroup(string.Empty).RequireEventStoreAuthorization(app.Services).MapEventStoreContract();
        app.MapEventStoreReadiness();
        return app;
    }

    private static void ConfigureJson(JsonSerializerOptions options)
    {
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        // Exact, not lenient: a member given twice is refused rather than the last one winning (inside payloads and
        // metadata, JsonValueCheck refuses it, naming the field).
        options.AllowDuplicateProperties = false;
        options.MaxDepth = EventStoreLimits.MaxDocumentDepth;
        options.Converters.Add(new UtcDateTimeOffsetJsonConverter());
        options.Converters.Add(new RawJsonElementConverter());
    }

    private static byte[] ReadOpenApiDocument()
    {
        using var stream = typeof(EventStoreApi).Assembly.GetManifestResourceStream("openapi.json")
            ?? throw new InvalidOperationException("The OpenAPI document is not embedded in the server.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
