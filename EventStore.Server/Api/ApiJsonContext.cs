using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace ServerlessEventStore.Server.Api;

/// <summary>
/// The JSON of the API's problem details, made at build time rather than by reflection: the problems and the types of
/// their members. With the models' own metadata (<c>EventStoreJson.TypeInfoResolver</c>) it is the type resolver of the
/// HTTP JSON options, whose settings (<c>ConfigureJson</c> of the server's composition) they are used with.
/// </summary>
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
