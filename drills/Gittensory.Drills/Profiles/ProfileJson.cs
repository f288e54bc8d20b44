using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Gittensory.Drills.Profiles;

/// <summary>
/// Reads a profile file strictly: a key the drill does not know is refused, naming the key and the file, because a
/// misspelt key would silently turn its check into "not applicable". Keys starting with <c>$</c> are notes and skipped.
/// </summary>
internal static partial class ProfileJson
{
    public static DrillProfile Read(string path, JsonSerializerOptions options)
    {
        var node = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        }) ?? throw new InvalidDataException($"Profile '{path}' is empty.");
        DropNotes(node);
        try
        {
            return node.Deserialize<DrillProfile>(options) ?? throw new InvalidDataException($"Profile '{path}' is empty.");
        }
        catch (JsonException e) when (UnmappedKey().Match(e.Message) is { Success: true } match)
        {
            // The path ends with the unknown key itself ($.migrationLedger.tabel): say where it sits.
            var parent = e.Path is { } p && p.LastIndexOf('.') is > 1 and var dot ? p[..dot] : "$";
            var where = parent == "$" ? "at the top level" : $"in {parent}";
            throw new InvalidDataException(
                $"Profile '{path}' has a key the drill does not know: '{match.Groups[1].Value}' ({where}). A misspelt key would turn its check " +
                "into \"not applicable\" without a word, so the profile is refused. The keys are those of docs/schemas/profile.schema.json " +
                "(keys starting with '$' are notes).", e);
        }
    }

    private static void DropNotes(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).Where(k => k.StartsWith('$')).ToList())
                {
                    o.Remove(key);
                }

                foreach (var (_, child) in o)
                {
                    if (child is not null)
                    {
                        DropNotes(child);
                    }
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    if (child is not null)
                    {
                        DropNotes(child);
                    }
                }

                break;
        }
    }

    [GeneratedRegex("The JSON property '(.+?)' could not be mapped")]
    private static partial Regex UnmappedKey();
}
