using System.Reflection;
using System.Runtime.ExceptionServices;

namespace EventStore.Testing.Proxies;

/// <summary>What the proxies share: forwarding a call unchanged, and shaping a failure or a follow-up like the method's own result.</summary>
internal static class ProxyInvocation
{
    private static readonly MethodInfo FromExceptionOfT = typeof(Task).GetMethods()
        .Single(m => m.Name == nameof(Task.FromException) && m.IsGenericMethodDefinition);

    private static readonly MethodInfo ContinueWithOfT = typeof(ProxyInvocation)
        .GetMethod(nameof(ContinueWithAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>Calls <paramref name="method"/> on <paramref name="target"/>; its exceptions surface as themselves.</summary>
    public static object? Forward(object target, MethodInfo method, object?[]? args)
    {
        try
        {
            return method.Invoke(target, args);
        }
        catch (TargetInvocationException invocation) when (invocation.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(invocation.InnerException).Throw();
            throw;
        }
    }

    /// <summary>A failure as the method would report it: a faulted task for async methods, a throw otherwise.</summary>
    public static object? Fail(MethodInfo method, Exception exception)
    {
        var returnType = method.ReturnType;
        if (returnType == typeof(Task))
        {
            return Task.FromException(exception);
        }

        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            return FromExceptionOfT.MakeGenericMethod(returnType.GetGenericArguments()[0]).Invoke(null, [exception]);
        }

        ExceptionDispatchInfo.Capture(exception).Throw();
        throw exception;
    }

    /// <summary>
    /// For a method returning <c>Task&lt;T&gt;</c>: a task of the same type that completes as <paramref name="result"/> does,
    /// after <paramref name="continuation"/> has seen the outcome (the result, or the exception); it may throw instead.
    /// Other results are handed to the continuation at once.
    /// </summary>
    public static object? Then(MethodInfo method, object? result, Action<object?, Exception?> continuation)
    {
        var returnType = method.ReturnType;
        if (result is Task && returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            return ContinueWithOfT.MakeGenericMethod(returnType.GetGenericArguments()[0]).Invoke(null, [result, continuation]);
        }

        continuation(result, null);
        return result;
    }

    private static async Task<T> ContinueWithAsync<T>(Task<T> task, Action<object?, Exception?> continuation)
    {
        T value;
        try
        {
            value = await task;
        }
        catch (Exception exception)
        {
            continuation(null, exception);
            throw;
        }

        continuation(value, null);
        return value;
    }
}
