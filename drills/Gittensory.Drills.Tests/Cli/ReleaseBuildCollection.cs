using Xunit;

namespace Gittensory.Drills.Tests.Cli;

/// <summary>Tests that build the CLI in Release (run-drill.ps1 does, and so does dotnet pack) run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ReleaseBuildCollection
{
    public const string Name = "Release build of the drill command";
}
