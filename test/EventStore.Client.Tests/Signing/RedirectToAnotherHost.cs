using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ServerlessEventStore.Client.Tests.Signing;

/// <summary>
/// Two Kestrel servers on loopback: an event store that answers every request with 307 Temporary Redirect to the same
/// path on another host (<c>localhost</c> instead of <c>127.0.0.1</c>, on another port), and that other host, which
/// answers 200. Both record every request that reaches them.
/// </summary>
internal sealed class RedirectToAnotherHost : IAsyncDisposable
{
    private readonly WebApplication _eventStore;
    private readonly WebApplication _otherHost;

    private RedirectToAnotherHost(WebApplication eventStore, WebApplication otherHost)
    {
        _eventStore = eventStore;
        _otherHost = otherHost;
    }

    public Uri EventStoreAddress { get; private set; } = null!;

    public Uri OtherHostAddress { get; private set; } = null!;

    public ConcurrentQueue<ArrivedRequest> AtEventStore { get; } = new();

    public ConcurrentQueue<ArrivedRequest> AtOtherHost { get; } = new();

    public static async Task<RedirectToAnotherHost> StartAsync()
    {
        var hosts = new RedirectToAnotherHost(CreateServer(), CreateServer());
        hosts._otherHost.Run(async context =>
        {
            hosts.AtOtherHost.Enqueue(await ArrivedRequest.ReadAsync(context.Request));
            context.Response.StatusCode = StatusCodes.Status200OK;
        });
        hosts._eventStore.Run(async context =>
        {
            hosts.AtEventStore.Enqueue(await ArrivedRequest.ReadAsync(context.Request));
            context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            context.Response.Headers.Location = new Uri(hosts.OtherHostAddress, context.Request.Path + context.Request.QueryString).AbsoluteUri;
        });
        await hosts._otherHost.StartAsync();
        await hosts._eventStore.StartAsync();
        hosts.OtherHostAddress = new UriBuilder(hosts._otherHost.Urls.Single()) { Host = "localhost" }.Uri;
        hosts.EventStoreAddress = new Uri(hosts._eventStore.Urls.Single().TrimEnd('/') + "/");
        return hosts;
    }

    public async ValueTask DisposeAsync()
    {
        await _eventStore.DisposeAsync();
        await _otherHost.DisposeAsync();
    }

    private static WebApplication CreateServer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        return builder.Build();
    }
}

/// <summary>A request as a server saw it: method, path, header names (lower case) and the body's length.</summary>
internal sealed record ArrivedRequest(string Method, string Path, IReadOnlyList<string> HeaderNames, long BodyLength)
{
    public static async Task<ArrivedRequest> ReadAsync(HttpRequest request)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        return new ArrivedRequest(
            request.Method,
            request.Path + request.QueryString,
            [.. request.Headers.Keys.Select(name => name.ToLowerInvariant())],
            body.Length);
    }
}
