namespace Gittensory.Drills.Boot;

/// <summary>What the boot options name on disk, read once when the drill starts and handed to the boot: the env file's lines and the release's migrations.</summary>
/// <param name="EnvFileName">The env file's name (for the report's sources), or null when none was given.</param>
/// <param name="EnvFile">Its <c>KEY=VALUE</c> entries with their line numbers.</param>
/// <param name="ReleaseMigrations">The release under test's migration names, or null to judge against the profile.</param>
internal sealed record BootInputs(string? EnvFileName, IReadOnlyList<(string Name, string Value, int Line)> EnvFile, IReadOnlyList<string>? ReleaseMigrations)
{
    /// <summary>No env file, no release migrations.</summary>
    public static BootInputs None { get; } = new(null, [], null);
}
