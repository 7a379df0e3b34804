using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Client.Sqs.Worker;

/// <summary>Checks the options against the SQS limits, reporting every violation at once.</summary>
internal sealed class NotificationHandlerOptionsValidator : IValidateOptions<EventStoreNotificationHandlerOptions>
{
    private const string Prefix = nameof(EventStoreNotificationHandlerOptions) + ".";

    public ValidateOptionsResult Validate(string? name, EventStoreNotificationHandlerOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.QueueUrl))
        {
            failures.Add($"{Prefix}{nameof(options.QueueUrl)} is required.");
        }
        else if (!Uri.TryCreate(options.QueueUrl, UriKind.Absolute, out var queueUrl) || (queueUrl.Scheme != Uri.UriSchemeHttps && queueUrl.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{Prefix}{nameof(options.QueueUrl)} must be an absolute http(s) URL, not '{options.QueueUrl}'.");
        }

        if (options.MaxMessagesPerReceive is < 1 or > StreamNotificationReceiver.MaxMessagesPerReceive)
        {
            failures.Add($"{Prefix}{nameof(options.MaxMessagesPerReceive)} must be between 1 and {StreamNotificationReceiver.MaxMessagesPerReceive}, not {options.MaxMessagesPerReceive}.");
        }

        CheckSeconds(failures, nameof(options.WaitTime), options.WaitTime, StreamNotificationReceiver.MaxWaitTime);
        CheckSeconds(failures, nameof(options.VisibilityTimeout), options.VisibilityTimeout, StreamNotificationReceiver.MaxVisibilityTimeout);
        if (options.MaxConcurrency < 1)
        {
            failures.Add($"{Prefix}{nameof(options.MaxConcurrency)} must be 1 or more, not {options.MaxConcurrency}.");
        }

        if (options.ExtendVisibility)
        {
            if (options.VisibilityTimeout < TimeSpan.FromSeconds(1))
            {
                failures.Add($"{Prefix}{nameof(options.ExtendVisibility)} needs a {nameof(options.VisibilityTimeout)} of at least 1 second; set it or turn {nameof(options.ExtendVisibility)} off.");
            }
            else if (options.VisibilityExtensionInterval is { } interval && (interval <= TimeSpan.Zero || interval >= options.VisibilityTimeout))
            {
                failures.Add($"{Prefix}{nameof(options.VisibilityExtensionInterval)} must be more than zero and less than {nameof(options.VisibilityTimeout)} ({options.VisibilityTimeout}), not {interval}.");
            }
        }

        if (options.ServiceUrl is { IsAbsoluteUri: false })
        {
            failures.Add($"{Prefix}{nameof(options.ServiceUrl)} must be an absolute URL, not '{options.ServiceUrl}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckSeconds(List<string> failures, string name, TimeSpan value, TimeSpan max)
    {
        if (value < TimeSpan.Zero || value > max)
        {
            failures.Add($"{Prefix}{name} must be between 0 and {max}, not {value}.");
        }
        else if (value.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            failures.Add($"{Prefix}{name} must be whole seconds (SQS counts in seconds), not {value}.");
        }
    }
}
