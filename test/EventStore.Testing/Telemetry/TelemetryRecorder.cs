using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EventStore.Testing.Telemetry;

/// <summary>
/// Records the stopped activities of one activity source and the measurements of the instruments of one meter (by name,
/// whichever instance of it), with the BCL's listeners. Every test in the process reports to the same names, so a test
/// picks out its own by a tag it made unique (a new stream type).
/// </summary>
public sealed class TelemetryRecorder : IDisposable
{
    private readonly ActivityListener _activityListener;
    private readonly MeterListener _meterListener = new();
    private readonly ConcurrentQueue<Activity> _activities = new();
    private readonly ConcurrentQueue<RecordedMeasurement> _measurements = new();

    /// <summary>Starts recording the activity source <paramref name="sourceName"/> and the meter <paramref name="meterName"/>.</summary>
    /// <param name="sourceName">Name of the activity source.</param>
    /// <param name="meterName">Name of the meter.</param>
    public TelemetryRecorder(string sourceName, string meterName)
    {
        _activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == sourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _activities.Enqueue,
        };
        ActivitySource.AddActivityListener(_activityListener);

        _meterListener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meterListener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meterListener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meterListener.Start();
    }

    /// <summary>The stopped activities carrying <paramref name="tag"/> with <paramref name="value"/>.</summary>
    /// <param name="tag">Tag name.</param>
    /// <param name="value">Tag value.</param>
    /// <returns>The activities, in the order they stopped.</returns>
    public IReadOnlyList<Activity> Activities(string tag, object value) =>
        [.. _activities.Where(activity => Equals(activity.GetTagItem(tag)?.ToString(), value.ToString()))];

    /// <summary>The measurements of <paramref name="instrument"/> carrying <paramref name="tag"/> with <paramref name="value"/>.</summary>
    /// <param name="instrument">Instrument name.</param>
    /// <param name="tag">Tag name.</param>
    /// <param name="value">Tag value.</param>
    /// <returns>The measurements, in the order they were recorded.</returns>
    public IReadOnlyList<RecordedMeasurement> Measurements(string instrument, string tag, object value) =>
        [.. _measurements.Where(m => m.Instrument == instrument && Equals(m.Tag(tag)?.ToString(), value.ToString()))];

    /// <summary>Stops recording.</summary>
    public void Dispose()
    {
        _activityListener.Dispose();
        _meterListener.Dispose();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _measurements.Enqueue(new RecordedMeasurement(instrument.Name, instrument.Unit, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
}
