using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using Amazon;
using Amazon.DynamoDBv2.Model;
using ServerlessEventStore.Client.Aws.Signing;

namespace ServerlessEventStore.Server.Storage.DynamoDb.Streams;

/// <summary>
/// Stands in for <c>AmazonDynamoDBStreamsClient</c> of the AWSSDK.DynamoDBStreams package, which the package source here
/// does not serve; swap it in when it is. The DynamoDB Streams API over its JSON protocol
/// (<c>X-Amz-Target: DynamoDBStreams_20120810.*</c>), signed with SigV4
/// for service <c>dynamodb</c>. Endpoint, region and credentials come from the DynamoDB store's settings: its
/// <see cref="DynamoDbStorageOptions.ServiceUrl"/> (DynamoDB Local serves Streams on the same port), otherwise
/// <c>https://streams.dynamodb.{region}.amazonaws.com/</c>.
/// </summary>
internal sealed class DynamoDbStreamsClient : IDynamoDbStreams
{
    private const string SigningService = "dynamodb";
    private const string TargetPrefix = "DynamoDBStreams_20120810.";
    private const string ContentType = "application/x-amz-json-1.0";
    private const int MaxErrorTextLength = 500;
    private readonly HttpClient _httpClient;
    private readonly DynamoDbStorageOptions _options;
    private readonly AwsCredentialSource _credentials;
    private RegionEndpoint? _region;
    private Uri? _serviceUrl;

    public DynamoDbStreamsClient(HttpClient httpClient, DynamoDbStorageOptions options, AwsCredentialSource credentials)
    {
        _httpClient = httpClient;
        _options = options;
        _credentials = credentials;
    }

    public async Task<IReadOnlyList<StreamShard>> ListShardsAsync(string streamArn, CancellationToken cancellationToken)
    {
        var shards = new List<StreamShard>();
        string? startAfter = null;
        do
        {
            using var response = await CallAsync(
                "DescribeStream",
                writer =>
                {
                    writer.WriteString("StreamArn", streamArn);
                    if (startAfter is not null)
                    {
                        writer.WriteString("ExclusiveStartShardId", startAfter);
                    }
                },
                cancellationToken);
            var description = response.RootElement.GetProperty("StreamDescription");
            if (description.TryGetProperty("Shards", out var page))
            {
                shards.AddRange(page.EnumerateArray().Select(shard => new StreamShard(
                    shard.GetProperty("ShardId").GetString()!,
                    StringOrNull(shard, "ParentShardId"),
                    shard.TryGetProperty("SequenceNumberRange", out var range) ? StringOrNull(range, "EndingSequenceNumber") : null)));
            }

            startAfter = StringOrNull(description, "LastEvaluatedShardId");
        }
        while (startAfter is not null);

        return shards;
    }

    public async Task<string> GetShardIteratorAsync(string streamArn, string shardId, string? afterSequenceNumber, CancellationToken cancellationToken)
    {
        using var response = await CallAsync(
            "GetShardIterator",
            writer =>
            {
                writer.WriteString("StreamArn", streamArn);
                writer.WriteString("ShardId", shardId);
                writer.WriteString("ShardIteratorType", afterSequenceNumber is null ? "TRIM_HORIZON" : "AFTER_SEQUENCE_NUMBER");
                if (afterSequenceNumber is not null)
                {
                    writer.WriteString("SequenceNumber", afterSequenceNumber);
                }
            },
            cancellationToken);
        return response.RootElement.GetProperty("ShardIterator").GetString()!;
    }

    public async Task<ChangeRecordPage> GetRecordsAsync(string shardIterator, int limit, CancellationToken cancellationToken)
    {
        using var response = await CallAsync(
            "GetRecords",
            writer =>
            {
                writer.WriteString("ShardIterator", shardIterator);
                writer.WriteNumber("Limit", limit);
            },
            cancellationToken);
        var root = response.RootElement;
        var records = root.TryGetProperty("Records", out var items)
            ? items.EnumerateArray().Select(ToRecord).ToList()
            : [];
        return new ChangeRecordPage(records, StringOrNull(root, "NextShardIterator"));
    }

    private static ChangeRecord ToRecord(JsonElement record)
    {
        var change = record.GetProperty("dynamodb");
        return new ChangeRecord(
            record.GetProperty("eventName").GetString()!,
            change.GetProperty("SequenceNumber").GetString()!,
            change.TryGetProperty("NewImage", out var image) ? ToItem(image) : null);
    }

    private static Dictionary<string, AttributeValue> ToItem(JsonElement image)
    {
        // The table layout uses string and number attributes only; anything else is not needed to notify.
        var item = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        foreach (var attribute in image.EnumerateObject())
        {
            if (attribute.Value.TryGetProperty("S", out var text))
            {
                item[attribute.Name] = new AttributeValue { S = text.GetString() };
            }
            else if (attribute.Value.TryGetProperty("N", out var number))
            {
                item[attribute.Name] = new AttributeValue { N = number.GetString() };
            }
        }

        return item;
    }

    private static string? StringOrNull(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private async Task<JsonDocument> CallAsync(string action, Action<Utf8JsonWriter> writeMembers, CancellationToken cancellationToken)
    {
        var body = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writeMembers(writer);
            writer.WriteEndObject();
        }

        var content = body.WrittenSpan.ToArray();
        var serviceUrl = _serviceUrl ??= _options.ServiceUrl ?? new Uri($"https://streams.dynamodb.{Region().SystemName}.amazonaws.com/");
        using var request = new HttpRequestMessage(HttpMethod.Post, serviceUrl) { Content = new ByteArrayContent(content) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(ContentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", TargetPrefix + action);
        // Resolved on first use, so that a missing region or credentials fails a call (logged, retried), not start-up.
        var credentials = await _credentials.GetAsync(serviceUrl, cancellationToken);
        await SigV4Request.SignAsync(request, credentials, Region(), SigningService, cancellationToken);

        using var response = await _httpClient.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw ToException(response, text);
        }

        return JsonDocument.Parse(text);
    }

    private RegionEndpoint Region() => _region ??= RegionEndpoint.GetBySystemName(DynamoDbClientFactory.Region(_options));

    private static DynamoDbStreamsException ToException(HttpResponseMessage response, string text)
    {
        // Errors are {"__type":"com.amazonaws.dynamodb.v20120810#ExpiredIteratorException","message":"…"}.
        string? type = null;
        string? message = null;
        try
        {
            using var error = JsonDocument.Parse(text);
            type = StringOrNull(error.RootElement, "__type");
            message = StringOrNull(error.RootElement, "message") ?? StringOrNull(error.RootElement, "Message");
        }
        catch (JsonException)
        {
            // Not JSON (e.g. a proxy's page): the status and the text tell what there is to tell.
        }

        var code = type is null ? "UnknownError" : type[(type.LastIndexOf('#') + 1)..];
        message ??= text.Length > MaxErrorTextLength ? text[..MaxErrorTextLength] + "…" : text;
        return new DynamoDbStreamsException(code, response.StatusCode, message);
    }
}
