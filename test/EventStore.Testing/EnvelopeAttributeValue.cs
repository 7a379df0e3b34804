namespace EventStore.Testing;

/// <summary>An SNS message attribute as its envelope carries it, e.g. <c>StreamType</c> of type <c>String</c>.</summary>
/// <param name="Type">Its data type, e.g. <c>String</c>.</param>
/// <param name="Value">Its value.</param>
public sealed record EnvelopeAttributeValue(string Type, string Value);
