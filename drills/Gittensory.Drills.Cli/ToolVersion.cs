using System.Reflection;

namespace Gittensory.Drills.Cli;

/// <summary>The tool's version, from its assembly (the project's Version), without the source revision the SDK appends.</summary>
internal static class ToolVersion
{
    public static string Text { get; } =
        (typeof(ToolVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(ToolVersion).Assembly.GetName().Version?.ToString(3) ?? "unknown").Split('+')[0];
}
