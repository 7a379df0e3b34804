using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Server.Notifications;

/// <summary>Checks <see cref="NotificationOptions"/> at start-up and reports every violation at once.</summary>
internal sealed class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    private static readonly TimeSpan OneHour = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        var failures = new List<string>();
        if (options.SnsTopicArn is not null && !SnsTopic.TryParse(options.SnsTopicArn, out _))
        {
            failures.Add($"EventStore:Notifications:SnsTopicArn '{options.SnsTopicArn}' is not the ARN of a standard SNS topic (arn:aws:sns:<region>:<account>:<name>).");
        }

        if (options.SnsServiceUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            failures.Add($"EventStore:Notifications:SnsServiceUrl '{url}' must be an absolute http or https URL.");
        }

        RequireBetween(failures, nameof(options.PollInterval), options.PollInterval, TimeSpan.FromMilliseconds(10), OneHour);
        RequireBetween(failures, nameof(options.StreamPollInterval), options.StreamPollInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1));
        RequireBetween(failures, nameof(options.MinRetryDelay), options.MinRetryDelay, TimeSpan.FromMilliseconds(1), OneHour);
        RequireBetween(failures, nameof(options.MaxRetryDelay), options.MaxRetryDelay, options.MinRetryDelay, OneHour);
        RequireBetween(failures, nameof(options.PublishTimeout), options.PublishTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5));
        if (options.CheckpointPath is not null && (string.IsNullOrWhiteSpace(options.CheckpointPath) || options.CheckpointPath.IndexOfAny(Path.GetInvalidPathChars()) >= 0))
        {
            failures.Add($"EventStore:Notifications:CheckpointPath '{options.CheckpointPath}' must be a file path.");
        }

        if (options.BatchSize is < 1 or > 1000)
        {
            failures.Add($"EventStore:Notifications:BatchSize must be 1 to 1000 (was {options.BatchSize}).");
        }

        if (options.MaxConcurrentPublishes is < 1 or > 100)
        {
            failures.Add($"EventStore:Notifications:MaxConcurrentPublishes must be 1 to 100 (was {options.MaxConcurrentPublishes}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void RequireBetween(List<string> failures, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add($"EventStore:Notifications:{key} must be {min} to {max} (was {value}).");
        }
    }
}
