using System.Collections.Concurrent;
using System.Reflection;

namespace EventStore.Testing.Proxies;

/// <summary>Makes <see cref="FaultInjectingProxy{T}"/>s.</summary>
public static class FaultInjectingProxy
{
    /// <summary>Wraps <paramref name="inner"/> in a <see cref="FaultInjectingProxy{T}"/>.</summary>
    /// <typeparam name="T">The interface, e.g. <c>IAmazonDynamoDB</c>.</typeparam>
    /// <param name="inner">The real implementation.</param>
    /// <param name="faults">The faults to inject; an operation without one is forwarded untouched.</param>
    /// <returns>The decorator.</returns>
    public static T Wrap<T>(T inner, params FaultInjection[] faults)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(inner);
        var proxy = DispatchProxy.Create<T, FaultInjectingProxy<T>>();
        ((FaultInjectingProxy<T>)(object)proxy).Initialize(inner, faults);
        return proxy;
    }
}

/// <summary>
/// A decorator for any interface (<see cref="DispatchProxy"/>, made by <see cref="FaultInjectingProxy.Wrap"/>): forwards every call to the real implementation, except
/// that the calls of the operations named by its <see cref="FaultInjection"/>s fail as those say (e.g. the first N
/// <c>TransactWriteItemsAsync</c> calls throw a throttling exception). For faults a real service can't be made to produce.
/// </summary>
/// <typeparam name="T">The interface, e.g. <c>IAmazonDynamoDB</c>.</typeparam>
public class FaultInjectingProxy<T> : DispatchProxy
    where T : class
{
    private T _inner = null!;
    private IReadOnlyList<FaultInjection> _faults = [];

    internal void Initialize(T inner, IReadOnlyList<FaultInjection> faults)
    {
        _inner = inner;
        _faults = faults;
    }

    /// <inheritdoc />
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var fault = _faults.FirstOrDefault(f => f.Operation == targetMethod.Name);
        var exception = fault?.OnCall(args is [var request, ..] ? request : null);
        if (exception is null)
        {
            return ProxyInvocation.Forward(_inner, targetMethod, args);
        }

        if (!fault!.AfterForwarding)
        {
            return ProxyInvocation.Fail(targetMethod, exception);
        }

        // The call reaches the service and takes effect; only its answer is lost (a timeout after the commit).
        var result = ProxyInvocation.Forward(_inner, targetMethod, args);
        return ProxyInvocation.Then(targetMethod, result, (_, _) => throw exception);
    }
}

/// <summary>
/// Which calls of one operation fail, and how: the next <see cref="Remaining"/> calls throw what <see cref="Fault"/> makes,
/// before the call reaches the service or, with <see cref="AfterForwarding"/>, after it took effect. Counts every call of
/// the operation, and can note what each call's request carried (<see cref="Record"/>). Thread-safe; may be re-armed
/// while the server runs (<see cref="Arm"/>).
/// </summary>
/// <param name="operation">The method's name, e.g. <c>TransactWriteItemsAsync</c>.</param>
public sealed class FaultInjection(string operation)
{
    private Func<Exception> _fault = () => new InvalidOperationException("No fault armed.");
    private Action<object?>? _recorder;
    private int _remaining;
    private int _calls;
    private int _injected;

    /// <summary>Creates a fault injection failing the next <paramref name="times"/> calls.</summary>
    /// <param name="operation">The method's name, e.g. <c>TransactWriteItemsAsync</c>.</param>
    /// <param name="fault">Makes the exception for one failing call.</param>
    /// <param name="times">How many of the next calls fail; <see cref="int.MaxValue"/> for all of them.</param>
    public FaultInjection(string operation, Func<Exception> fault, int times)
        : this(operation) => Arm(fault, times);

    /// <summary>The method's name.</summary>
    public string Operation { get; } = operation;

    /// <summary>
    /// Whether a failing call is first forwarded (so it takes effect, and only its answer is replaced by the fault)
    /// rather than failing before it reaches the service.
    /// </summary>
    public bool AfterForwarding { get; set; }

    /// <summary>Makes the exception for one failing call.</summary>
    public Func<Exception> Fault => Volatile.Read(ref _fault);

    /// <summary>How many of the next calls fail.</summary>
    public int Remaining => Volatile.Read(ref _remaining);

    /// <summary>Calls of the operation since it was last armed, failed or not.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Calls that were made to fail since it was last armed.</summary>
    public int Injected => Volatile.Read(ref _injected);

    /// <summary>Fails the next <paramref name="times"/> calls with <paramref name="fault"/>, and restarts the counts.</summary>
    /// <param name="fault">Makes the exception for one failing call.</param>
    /// <param name="times">How many of the next calls fail; <see cref="int.MaxValue"/> for all of them.</param>
    /// <param name="afterForwarding">Whether the failing calls take effect first (see <see cref="AfterForwarding"/>).</param>
    public void Arm(Func<Exception> fault, int times, bool afterForwarding = false)
    {
        ArgumentNullException.ThrowIfNull(fault);
        Volatile.Write(ref _fault, fault);
        AfterForwarding = afterForwarding;
        Volatile.Write(ref _calls, 0);
        Volatile.Write(ref _injected, 0);
        Volatile.Write(ref _remaining, times);
    }

    /// <summary>Lets every further call through (the counts go on).</summary>
    public void Disarm() => Volatile.Write(ref _remaining, 0);

    /// <summary>
    /// Notes, for every further call, what <paramref name="select"/> takes from its request (the call's first argument)
    /// at the moment of the call, failed or not (a caller may change the request before it sends it again). A later
    /// <see cref="Record"/> takes over from this one.
    /// </summary>
    /// <typeparam name="TRequest">The request type, e.g. <c>TransactWriteItemsRequest</c>.</typeparam>
    /// <typeparam name="TValue">What is noted, e.g. the client request token.</typeparam>
    /// <param name="select">Takes the value from a request.</param>
    /// <returns>The values noted, in the order of the calls; it grows as calls are made.</returns>
    public IReadOnlyCollection<TValue> Record<TRequest, TValue>(Func<TRequest, TValue> select)
    {
        ArgumentNullException.ThrowIfNull(select);
        var values = new ConcurrentQueue<TValue>();
        Volatile.Write(ref _recorder, request => values.Enqueue(select((TRequest)request!)));
        return values;
    }

    /// <summary>Counts a call; the exception to fail it with, or <see langword="null"/> to let it through.</summary>
    /// <param name="request">The call's first argument.</param>
    internal Exception? OnCall(object? request)
    {
        Interlocked.Increment(ref _calls);
        Volatile.Read(ref _recorder)?.Invoke(request);
        while (true)
        {
            var remaining = Volatile.Read(ref _remaining);
            if (remaining <= 0)
            {
                return null;
            }

            var next = remaining == int.MaxValue ? remaining : remaining - 1;
            if (Interlocked.CompareExchange(ref _remaining, next, remaining) == remaining)
            {
                Interlocked.Increment(ref _injected);
                return Fault();
            }
        }
    }
}
