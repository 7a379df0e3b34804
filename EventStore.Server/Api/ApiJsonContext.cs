using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Api;

/// <summary>
/// The JSON of the API, made at build time rather than by reflection: every request and response body of the contract,
/// and the problem details with the types of their members. It is the type resolver of the HTTP JSON options, whose
/// settings (<c>ConfigureJson</c> of the server's composition) it is used with.
/// </summary>
[JsonSerializable(typeof(CreateStreamRequest))]
[JsonSerializable(typeof(AppendEventsRequest))]
[JsonSerializable(typeof(SystemStatus))]
[JsonSerializable(typeof(StreamResponse))]
[JsonSerializable(typeof(StreamPageResponse))]
[JsonSerializable(typeof(StreamTypePageResponse))]
[JsonSerializable(typeof(EventPageResponse))]
[JsonSerializable(typeof(StreamTypeEventPageResponse))]
[JsonSerializable(typeof(RemovalResult))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
