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
    private const string KeyScheme = "ApiKey";

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
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<RequiresApiKey>().Any())
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(KeyScheme, context.Document)] = [] });
            }
            return Task.CompletedTask;
        });
    }
}
