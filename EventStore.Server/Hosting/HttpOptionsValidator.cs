using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Server.Hosting;

/// <summary>Checks <see cref="HttpOptions"/> against the ranges its properties declare, at start-up (generated at build time).</summary>
[OptionsValidator]
internal sealed partial class HttpOptionsValidator : IValidateOptions<HttpOptions>;
