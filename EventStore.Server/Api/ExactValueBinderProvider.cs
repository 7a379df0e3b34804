using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace ServerlessEventStore.Server.Api;

/// <summary>
/// Binds the numbers and UUIDs of paths and query strings with <see cref="ExactValues"/> instead of the framework's
/// lenient parsers; a value that is not in the one accepted spelling is a 400 naming the field.
/// </summary>
internal sealed class ExactValueBinderProvider : IModelBinderProvider
{
    private static readonly ExactValueBinder Numbers = new(
        text => ExactValues.TryParseNumber(text, out var number) ? number : null, ExactValues.NumberError);

    private static readonly ExactValueBinder StreamIds = new(
        text => ExactValues.TryParseStreamId(text, out var id) ? id : null, ExactValues.StreamIdError);

    public IModelBinder? GetBinder(ModelBinderProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var source = context.BindingInfo.BindingSource;
        if (source != BindingSource.Path && source != BindingSource.Query)
        {
            return null;
        }

        var type = context.Metadata.UnderlyingOrModelType;
        if (type.IsEnum)
        {
            return new ExactValueBinder(
                text => ExactValues.TryParseContractValue(type, text, out var value) ? value : null, text => ExactValues.ContractValueError(type, text));
        }

        return type == typeof(int) ? Numbers : type == typeof(Guid) ? StreamIds : null;
    }

    private sealed class ExactValueBinder(Func<string?, object?> parse, Func<string?, string> error) : IModelBinder
    {
        public Task BindModelAsync(ModelBindingContext bindingContext)
        {
            var result = bindingContext.ValueProvider.GetValue(bindingContext.ModelName);
            if (result == ValueProviderResult.None)
            {
                return Task.CompletedTask;
            }

            bindingContext.ModelState.SetModelValue(bindingContext.ModelName, result);
            if (result.Length > 1)
            {
                // Which one would count is a guess: none does.
                bindingContext.ModelState.TryAddModelError(bindingContext.ModelName, $"'{bindingContext.ModelName}' is given {result.Length} times; give it once.");
                bindingContext.Result = ModelBindingResult.Failed();
            }
            else if (parse(result.FirstValue) is { } value)
            {
                bindingContext.Result = ModelBindingResult.Success(value);
            }
            else
            {
                bindingContext.ModelState.TryAddModelError(bindingContext.ModelName, error(result.FirstValue));
                bindingContext.Result = ModelBindingResult.Failed();
            }

            return Task.CompletedTask;
        }
    }
}
