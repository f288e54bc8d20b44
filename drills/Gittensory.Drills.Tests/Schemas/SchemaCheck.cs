using System.Text.Json;
using Gittensory.Drills.Fixtures;
using Json.Schema;

namespace Gittensory.Drills.Tests.Schemas;

/// <summary>Validates JSON against a schema in docs/schemas with JsonSchema.Net (formats checked too), listing each error with where it is.</summary>
internal static class SchemaCheck
{
    // JsonSchema.Net registers each schema by its $id once per process: load each file once.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<JsonSchema>> Schemas = new();

    public static string SchemaPath(string name) => Path.Combine(RepoPaths.Root, "docs", "schemas", name);

    public static IReadOnlyList<string> Errors(string schemaName, string json)
    {
        var schema = Schemas.GetOrAdd(schemaName, name => new Lazy<JsonSchema>(() => JsonSchema.FromText(File.ReadAllText(SchemaPath(name))))).Value;
        using var document = JsonDocument.Parse(json);
        var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (result.IsValid)
        {
            return [];
        }

        return [.. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))];
    }
}
