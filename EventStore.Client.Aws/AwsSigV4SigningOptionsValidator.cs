using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Client.Aws;

/// <summary>Checks the data annotations of <see cref="AwsSigV4SigningOptions"/> with generated code, without reflection.</summary>
[OptionsValidator]
internal sealed partial class AwsSigV4SigningOptionsValidator : IValidateOptions<AwsSigV4SigningOptions>;
