using System.Text;
using Amazon.DynamoDBv2.Model;

namespace ServerlessEventStore.Server.Tests.Diagnostics;

/// <summary>
/// Item sizes and capacity units by AWS's published rules, for when DynamoDB Local reports no consumed capacity and as a
/// cross-check when it does. Sizes: attribute names and string values in UTF-8 bytes, numbers about one byte per two
/// significant digits plus one, booleans and nulls one byte, maps and lists three bytes plus one per element.
/// Writes: 1 WCU per 1 KB (rounded up) per item, 2 in a transaction. Reads: 1 RCU per 4 KB strongly consistent (half
/// that eventually consistent), summed over the items of a query before rounding up; a transaction's reads cost double.
/// </summary>
internal static class DynamoDbCapacity
{
    public static int ItemSize(IReadOnlyDictionary<string, AttributeValue> item) =>
        item.Sum(attribute => Encoding.UTF8.GetByteCount(attribute.Key) + ValueSize(attribute.Value));

    public static int ValueSize(AttributeValue value) => value switch
    {
        { S: not null } => Encoding.UTF8.GetByteCount(value.S),
        { N: not null } => NumberSize(value.N),
        { B: not null } => (int)value.B.Length,
        { BOOL: not null } or { NULL: true } => 1,
        { M: not null } => 3 + value.M.Sum(entry => Encoding.UTF8.GetByteCount(entry.Key) + ValueSize(entry.Value) + 1),
        { L: not null } => 3 + value.L.Sum(element => ValueSize(element) + 1),
        { SS: not null } => value.SS.Sum(Encoding.UTF8.GetByteCount),
        { NS: not null } => value.NS.Sum(NumberSize),
        _ => 1,
    };

    /// <summary>Write units of one item of <paramref name="bytes"/> written in a transaction.</summary>
    public static double TransactionalWriteUnits(int bytes) => 2 * Math.Max(1, Math.Ceiling(bytes / 1024.0));

    /// <summary>Read units of a read returning items of <paramref name="bytes"/> together.</summary>
    public static double ReadUnits(int bytes, bool consistent) => (consistent ? 1 : 0.5) * Math.Max(1, Math.Ceiling(bytes / 4096.0));

    private static int NumberSize(string number)
    {
        var digits = number.TrimStart('-').Replace(".", string.Empty, StringComparison.Ordinal).Trim('0').Length;
        return (int)Math.Ceiling(Math.Max(1, digits) / 2.0) + 1;
    }
}
