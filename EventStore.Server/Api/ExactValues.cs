using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using System.Runtime.Serialization;

namespace ServerlessEventStore.Server.Api;

/// <summary>
/// How the API reads numbers and stream ids from paths and query strings: one spelling per value, so that two requests
/// that look different never name the same thing. Numbers are decimal digits without sign, spaces or leading zeros;
/// stream ids are UUIDs written 8-4-4-4-12 (the form the server returns), in either case. The framework's parsers
/// would also take <c>+2</c>, <c> 2</c>, <c>02</c>, and UUIDs in braces, parentheses or without hyphens. The values of
/// the contract's enumerations (<c>direction=backward</c>) are their names in the contract, exactly: the framework
/// would also take <c>Backward</c>, <c>BACKWARD</c> and <c>1</c>.
/// </summary>
internal static class ExactValues
{
    private const int MaxEchoedLength = 40;

    public static bool TryParseNumber(string? text, out int value)
    {
        value = 0;
        if (string.IsNullOrEmpty(text) || text.Length > 10 || (text.Length > 1 && text[0] == '0') || !text.All(char.IsAsciiDigit))
        {
            return false;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryParseStreamId(string? text, out Guid value)
    {
        value = Guid.Empty;
        // Guid's own "D" parsing also takes "0x" and "+" inside a group of the right length.
        if (text is not { Length: 36 })
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (i is 8 or 13 or 18 or 23 ? text[i] != '-' : !char.IsAsciiHexDigit(text[i]))
            {
                return false;
            }
        }

        return Guid.TryParseExact(text, "D", out value);
    }

    /// <summary>Parses the contract's spelling of a value of <typeparamref name="TEnum"/> (its <c>EnumMember</c> value).</summary>
    public static bool TryParseContractValue<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] TEnum>(string? text, out TEnum value)
        where TEnum : struct, Enum
    {
        foreach (var (name, spelling) in ContractValues<TEnum>())
        {
            if (string.Equals(spelling, text, StringComparison.Ordinal))
            {
                value = Enum.Parse<TEnum>(name);
                return true;
            }
        }

        value = default;
        return false;
    }

    public static string ContractValueError<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] TEnum>(string? text)
        where TEnum : struct, Enum =>
        $"'{Echo(text)}' is not one of {string.Join(", ", ContractValues<TEnum>().Select(value => $"'{value.Spelling}'"))}.";

    private static IEnumerable<(string Name, string? Spelling)> ContractValues<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] TEnum>()
        where TEnum : struct, Enum =>
        typeof(TEnum).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(field => (field.Name, field.GetCustomAttribute<EnumMemberAttribute>()))
            .Where(value => value.Item2 is not null)
            .Select(value => (value.Name, value.Item2!.Value));

    public static string NumberError(string? text) =>
        $"'{Echo(text)}' is not a number this API takes: decimal digits only, without sign, spaces or leading zeros.";

    public static string StreamIdError(string? text) =>
        $"'{Echo(text)}' is not a stream id: a UUID written as 8-4-4-4-12 hexadecimal digits, e.g. c72e01a7-e74a-4a86-ab20-2aabe206b3ce.";

    /// <summary>The caller's value as an error message may quote it: short, and without control characters.</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Echo(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var shown = text.Length > MaxEchoedLength ? text[..MaxEchoedLength] + "…" : text;
        return string.Create(shown.Length, shown, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
    }
}
