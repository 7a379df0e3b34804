using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Server.Storage.DynamoDb;

/// <summary>
/// Checks <see cref="DynamoDbStorageOptions"/> at start-up, reporting every violation at once. Registered by the DynamoDB
/// store's module only, so its settings never stop a server running on SQLite.
/// </summary>
internal sealed partial class DynamoDbStorageOptionsValidator : IValidateOptions<DynamoDbStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, DynamoDbStorageOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrEmpty(options.TableName))
        {
            failures.Add($"{DynamoDbStorageOptions.SectionName}:TableName is required when EventStore:Storage is 'DynamoDb'.");
        }
        else if (!TableNamePattern().IsMatch(options.TableName))
        {
            failures.Add($"{DynamoDbStorageOptions.SectionName}:TableName must be 3 to 255 letters, digits, '.', '_' or '-'.");
        }

        if (options.ServiceUrl is { IsAbsoluteUri: false })
        {
            failures.Add($"{DynamoDbStorageOptions.SectionName}:ServiceUrl must be an absolute URL.");
        }

        if (options.MaxAttempts is < 1 or > 10)
        {
            failures.Add($"{DynamoDbStorageOptions.SectionName}:MaxAttempts must be from 1 to 10.");
        }

        if (options.BaseDelay < TimeSpan.Zero || options.BaseDelay > TimeSpan.FromSeconds(10))
        {
            failures.Add($"{DynamoDbStorageOptions.SectionName}:BaseDelay must be from 0 to 10 seconds.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{DynamoDbStorageOptions.SectionName}:RequestTimeout must be more than 0 and at most 1 minute.");
        }

        if (options.SettleWindow <= TimeSpan.Zero || options.SettleWindow > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{DynamoDbStorageOptions.SectionName}:SettleWindow must be more than 0 and at most 10 minutes.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{3,255}$", RegexOptions.CultureInvariant)]
    private static partial Regex TableNamePattern();
}
