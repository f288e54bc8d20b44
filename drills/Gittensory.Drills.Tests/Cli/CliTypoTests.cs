using FluentAssertions;
using Gittensory.Drills.Fixtures;
using Xunit;

namespace Gittensory.Drills.Tests.Cli;

/// <summary>The drill command's own typos: each exits 2 ("could not run"), never 1 ("a check failed"), and says why.</summary>
public sealed class CliTypoTests
{
    [Theory]
    [InlineData(new[] { "--backup-rot", "/backups" }, "Unknown argument '--backup-rot'.")]
    [InlineData(new[] { "--backup-root" }, "--backup-root needs a value.")]
    [InlineData(new[] { "--keep-sandbox:maybe" }, "Unknown argument '--keep-sandbox:maybe'.")]
    [InlineData(new[] { "--store", "mongo" }, "--store takes postgres, sqlite, qdrant or all; 'mongo' is none of them.")]
    [InlineData(new[] { "--max-backup-age", "a day" }, "--max-backup-age must be a positive number of hours; 'a day' is not.")]
    public async Task ATypoExitsWithTwoAndNamesTheArgument(string[] arguments, string message)
    {
        var (exit, _, stderr) = await DrillCommand.RunAsync(["--backup-root", RepoPaths.SampleBackups, .. arguments], ct: TestContext.Current.CancellationToken);

        exit.Should().Be(2);
        stderr.Should().StartWith($"gittensory-drill: {message}");
    }
}
