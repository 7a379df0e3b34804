using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Client.Generated;

/// <summary>
/// The server's 503 for a store that can't work as configured (<see cref="EventStoreErrorCodes.StorageMisconfigured"/>:
/// no <c>Retry-After</c>, problem details naming the code): retrying it only delays the error, so the resilience
/// handler's retry and circuit breaker leave it alone, and the call fails at once with an <see cref="EventStoreException"/>.
/// </summary>
internal static class MisconfiguredAnswer
{
    /// <summary>What the standard handler treats as transient, except the misconfigured answer.</summary>
    public static async ValueTask<bool> IsTransientAsync(Outcome<HttpResponseMessage> outcome) =>
        HttpClientResiliencePredicates.IsTransient(outcome)
        && !(outcome.Result is { } response && await IsMisconfiguredAsync(response).ConfigureAwait(false));

    /// <summary>Whether <paramref name="response"/> is the server's misconfigured answer (its body is buffered to read it).</summary>
    public static async Task<bool> IsMisconfiguredAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.StatusCode != HttpStatusCode.ServiceUnavailable
            || response.Headers.RetryAfter is not null
            || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return false;
        }

        // Buffered, so that the client reads the same body afterwards.
        await response.Content.LoadIntoBufferAsync().ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        try
        {
            using var problem = JsonDocument.Parse(body);
            return problem.RootElement.ValueKind == JsonValueKind.Object
                && problem.RootElement.TryGetProperty(EventStoreErrorCodes.MemberName, out var code)
                && code.ValueKind == JsonValueKind.String
                && code.ValueEquals(EventStoreErrorCodes.StorageMisconfigured);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
