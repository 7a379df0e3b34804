namespace ServerlessEventStore.Client;

/// <summary>Settings of a catch-up subscription (<see cref="EventStoreClient.SubscribeToStreamTypeAsync"/>).</summary>
public sealed class SubscriptionOptions
{
    /// <summary>
    /// How long the subscription waits, once it has read everything there is, before it asks again: more than zero,
    /// 1 second by default. New events reach the subscriber within about this (plus, on DynamoDB, the server's settle window).
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Number of events per request, 1 to 1000; the client's <see cref="EventStoreClientOptions.PageSize"/> when
    /// <see langword="null"/>. Larger pages replay a long history in fewer requests.
    /// </summary>
    public int? PageSize { get; set; }

    /// <summary>The clock the waits between polls run on; <see cref="TimeProvider.System"/> by default (a fake one in tests).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
