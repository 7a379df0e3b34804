using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace ServerlessEventStore.Server.Notifications;

/// <summary>A standard SNS topic named by its ARN: the region to sign for and the default endpoint come from it.</summary>
internal sealed partial record SnsTopic(string Arn, string Partition, string Region)
{
    /// <summary>The public endpoint of SNS in the topic's region.</summary>
    public Uri DefaultServiceUrl => new(Partition == "aws-cn"
        ? $"https://sns.{Region}.amazonaws.com.cn/"
        : $"https://sns.{Region}.amazonaws.com/");

    public static bool TryParse(string? arn, [NotNullWhen(true)] out SnsTopic? topic)
    {
        var match = arn is null ? Match.Empty : ArnPattern().Match(arn);
        topic = match.Success ? new SnsTopic(arn!, match.Groups["partition"].Value, match.Groups["region"].Value) : null;
        return topic is not null;
    }

    // FIFO topics (".fifo") are excluded: they need a message group id, which the original's notifications never had.
    [GeneratedRegex(@"^arn:(?<partition>aws[a-z-]*):sns:(?<region>[a-z]{2}(-[a-z0-9]+)+-\d+):\d{12}:[A-Za-z0-9_-]{1,256}$", RegexOptions.CultureInvariant)]
    private static partial Regex ArnPattern();
}
