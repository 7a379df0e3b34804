using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Client;

/// <summary>Checks the data annotations of <see cref="EventStoreClientOptions"/> with generated code, without reflection.</summary>
[OptionsValidator]
internal sealed partial class EventStoreClientOptionsValidator : IValidateOptions<EventStoreClientOptions>;
