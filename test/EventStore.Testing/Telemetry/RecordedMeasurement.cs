namespace EventStore.Testing.Telemetry;

/// <summary>One measurement of an instrument, with its tags.</summary>
/// <param name="Instrument">Name of the instrument.</param>
/// <param name="Unit">Unit of the instrument.</param>
/// <param name="Value">The measured value.</param>
/// <param name="Tags">The measurement's tags.</param>
public sealed record RecordedMeasurement(string Instrument, string? Unit, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    /// <summary>The value of a tag, or <see langword="null"/> when the measurement has none of that name.</summary>
    /// <param name="name">Tag name.</param>
    /// <returns>The tag's value.</returns>
    public object? Tag(string name) => Tags.TryGetValue(name, out var value) ? value : null;
}
