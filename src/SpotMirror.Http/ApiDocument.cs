using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SpotMirror.Http;

/// <summary>What the generated OpenAPI document adds to the endpoints' own metadata: the title, the API key, top's range.</summary>
public static class ApiDocument
{
    public const string Name = "v1";
    public const string Route = "/openapi/{documentName}.json";
    public const string KeyScheme = "ApiKey";
    public const string License = "No licence granted: all rights reserved";
    public const string LicenseIdentifier = "LicenseRef-AllRightsReserved";

    /// <summary>The tags the endpoints use, with what each groups.</summary>
    public static readonly IReadOnlyDictionary<string, string> Tags = new Dictionary<string, string>
    {
        ["Recommendations"] = "Lists of tracks: for a mood, like a track or artist, from listeners like you, personal (the hybrid), popular.",
        ["Users"] = "What a person taught the recommender: feedback on a track (one event, or up to 1,000 in one POST /feedback), the learned profile, and forgetting it all.",
        ["Service"] = "Whether this process is ready to answer.",
    };

    /// <summary>Marks a query parameter required in the document (it is read as nullable text so that its absence gets a problem that says what to send).</summary>
    public static RouteHandlerBuilder Requires(this RouteHandlerBuilder endpoint, string parameter) =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            foreach (var candidate in operation.Parameters ?? [])
            {
                if (candidate is OpenApiParameter named && named.Name == parameter) named.Required = true;
            }
            return Task.CompletedTask;
        });

    public static void Configure(OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "SpotMirror API",
                Version = Name,
                Description = "Music recommendations from the same core the chat bots use: moods, similar tracks, collaborative " +
                    "filtering, the hybrid, popularity; feedback that teaches it; profiles and forgetting. Errors are RFC 9457 problem details.",
            };
            // No licence file grants rights to this code, so the document says exactly that rather than name one
            // (an SPDX LicenseRef is how SPDX spells "not an open licence").
            document.Info.License = new OpenApiLicense { Name = License, Identifier = LicenseIdentifier };
            // The generated server is the address the document was fetched from, with a trailing slash that
            // would double every path's own.
            foreach (var server in document.Servers ?? []) server.Url = server.Url?.TrimEnd('/');
            foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
            {
                if (tag.Name is { } name && Tags.TryGetValue(name, out var description)) tag.Description = description;
            }
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[KeyScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = HttpApiKeyRule.Header,
                Description = "The server's Http:ApiKey. Required by POST and DELETE when a key is configured; without one, writes work on loopback only.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            // top is read as text so a bad value gets a sentence with the range; the document still says what it is.
            foreach (var parameter in operation.Parameters ?? [])
            {
                if (parameter is OpenApiParameter { Name: "top" } top)
                {
                    top.Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Integer,
                        Format = "int32",
                        Minimum = ApiHandlers.MinTop.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        Maximum = ApiHandlers.MaxTop.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        Default = JsonValue.Create(ApiHandlers.DefaultTop),
                    };
                }
            }
            // Every operation says what it needs: the key, or (an empty list) nothing at all.
            operation.Security = [];
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<RequiresApiKey>().Any())
            {
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(KeyScheme, context.Document)] = [] });
            }
            return Task.CompletedTask;
        });
    }
}
