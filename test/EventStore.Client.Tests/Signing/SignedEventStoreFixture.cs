using System.Text.Json;
using ServerlessEventStore.Client.Aws;
using System.Collections.Concurrent;
using EventStore.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ServerlessEventStore.Client.Tests.Signing;

/// <summary>
/// The real server on Kestrel with a SigV4 check in front, as a Function URL with AWS_IAM auth has: requests whose
/// signature does not verify get 403 and never reach the event store. Records every attempt, and can answer the first
/// attempts at a path with 503 (after verifying them) to exercise retries.
/// </summary>
public sealed class SignedEventStoreFixture : IAsyncLifetime
{
    public const string Region = "eu-central-1";
    public const string AccessKey = "AKIDEXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string SessionAccessKey = "ASIAEXAMPLESESSION";
    public const string SessionSecretKey = "session/secret/EXAMPLEKEY";
    public const string SessionToken = "FwoGZXIvYXdzEXAMPLE//session+token=";

    private readonly SigV4Verifier _verifier = new(Region, AwsSigV4SigningOptions.Service, new Dictionary<string, SigningSecret>
    {
        [AccessKey] = new(SecretKey),
        [SessionAccessKey] = new(SessionSecretKey, SessionToken),
    });

    private readonly ConcurrentQueue<SignedAttempt> _attempts = new();
    private readonly Dictionary<string, int> _faults = [];
    private readonly EventStoreServerFixture _server;

    public SignedEventStoreFixture() =>
        _server = EventStoreServerFixture.Create(configureServices: services => services.AddSingleton<IStartupFilter>(new VerifierInFront(this)));

    public Uri BaseAddress => _server.BaseAddress;

    /// <summary>Every request that reached the check, in arrival order.</summary>
    public IReadOnlyList<SignedAttempt> Attempts => [.. _attempts];

    public IEnumerable<SignedAttempt> AttemptsAt(string pathFragment) =>
        Attempts.Where(attempt => attempt.Path.Contains(pathFragment, StringComparison.Ordinal));

    /// <summary>Answers the next <paramref name="count"/> verified requests whose path contains <paramref name="pathFragment"/> with 503.</summary>
    public void FailAttempts(string pathFragment, int count)
    {
        lock (_faults)
        {
            _faults[pathFragment] = count;
        }
    }

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    private async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        context.Request.EnableBuffering();
        var verdict = await _verifier.VerifyAsync(context.Request, TimeProvider.System);
        var path = context.Request.Path + context.Request.QueryString;
        var fault = verdict.Accepted && TakeFault(path);
        _attempts.Enqueue(new SignedAttempt(context.Request.Method, path, verdict, fault));
        if (!verdict.Accepted)
        {
            // What a Function URL answers; the reason is only for the tests' messages.
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsJsonAsync(new { Message = "Forbidden", Reason = verdict.Reason }, JsonSerializerOptions.Web);
            return;
        }

        if (fault)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            // A second apart, so each attempt gets another x-amz-date and thereby another signature.
            context.Response.Headers.RetryAfter = "1";
            await context.Response.WriteAsJsonAsync(new { title = "Storage unavailable", status = 503, requestId = "fault" }, JsonSerializerOptions.Web);
            return;
        }

        await next(context);
    }

    private bool TakeFault(string path)
    {
        lock (_faults)
        {
            var fragment = _faults.Keys.FirstOrDefault(key => _faults[key] > 0 && path.Contains(key, StringComparison.Ordinal));
            if (fragment is null)
            {
                return false;
            }

            _faults[fragment]--;
            return true;
        }
    }

    private sealed class VerifierInFront(SignedEventStoreFixture fixture) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(fixture.InvokeAsync);
            next(app);
        };
    }
}

/// <summary>A request as the SigV4 check saw it.</summary>
public sealed record SignedAttempt(string Method, string Path, SigV4Verdict Verdict, bool AnsweredWith503);
