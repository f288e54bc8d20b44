using Gittensory.Drills.Backups;
using Gittensory.Drills.Boot;
using Gittensory.Drills.Pipeline;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Sandbox;

namespace Gittensory.Drills.Scenarios;

/// <summary>
/// Runs the Postgres drill once with the application booted on the restored copy, for <see cref="BootAppDrill"/>.
/// On by default for the bundled sample set (so CI boots the stand-in image that ensure-engine.sh records as DRILL_APP_IMAGE);
/// for real backups (<c>DRILL_BACKUP_ROOT</c>) only with <c>DRILL_BOOT_APP=true</c>; never with <c>DRILL_BOOT_APP=false</c>.
/// Also read: <c>DRILL_APP_IMAGE</c> (through the images), <c>DRILL_APP_COMMAND</c>, <c>DRILL_APP_WORKDIR</c>, <c>DRILL_APP_ENV_FILE</c>,
/// <c>DRILL_APP_MIGRATIONS</c>, <c>DRILL_READY_TIMEOUT_SECONDS</c>, <c>DRILL_PROBER_IMAGE</c>.
/// </summary>
public sealed class BootAppDrillScenario() : DrillScenario(BackupStore.Postgres)
{
    /// <inheritdoc />
    protected override async Task<string?> NotRunReasonAsync()
    {
        var asked = Variable("DRILL_BOOT_APP");
        if (asked is not null && !bool.TryParse(asked, out _))
        {
            throw new InvalidOperationException($"DRILL_BOOT_APP is '{asked}'; use true or false.");
        }

        if (asked is not null)
        {
            return bool.Parse(asked) ? null : "DRILL_BOOT_APP=false: the application is not booted";
        }

        if (Variable("DRILL_BACKUP_ROOT") is not null)
        {
            return "set DRILL_BOOT_APP=true to boot the application (DRILL_APP_IMAGE or DRILL_APP_COMMAND) on these backups";
        }

        // The bundled sample set: boot it, unless the image is not here on a machine that does not require the engine.
        var image = DrillImages.FromEnvironment().App;
        if (Variable("DRILL_APP_COMMAND") is null && !EngineGate.EngineRequired && (await ContainerEngine.ProbeAsync()).Answers
            && await ContainerEngine.ImageEnvironmentAsync(image) is null)
        {
            return $"the application image '{image}' is not on this engine; build the stand-in with fixtures/engine/ensure-engine.sh, or set DRILL_APP_IMAGE / DRILL_BOOT_APP=true";
        }

        return null;
    }

    /// <inheritdoc />
    protected override DrillOptions Configure(DrillOptions options) => options with
    {
        BootApp = new AppBootOptions
        {
            Command = Variable("DRILL_APP_COMMAND") is { } command ? AppCommandLine.Split(command) : null,
            WorkingDirectory = Variable("DRILL_APP_WORKDIR"),
            EnvFile = Variable("DRILL_APP_ENV_FILE"),
            ReleaseMigrations = Variable("DRILL_APP_MIGRATIONS"),
            ReadyTimeout = double.TryParse(Variable("DRILL_READY_TIMEOUT_SECONDS"), System.Globalization.CultureInfo.InvariantCulture, out var seconds)
                ? TimeSpan.FromSeconds(seconds)
                : new AppBootOptions().ReadyTimeout,
            ProberImage = Variable("DRILL_PROBER_IMAGE"),
        },
    };

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value.Trim() : null;
}
