using Gittensory.Drills.Profiles;
using Gittensory.Drills.Sandbox;

namespace Gittensory.Drills.Checks;

/// <summary>Before any restore, when the drill boots the application: the restore server is a major the application boots on.</summary>
public static class AppServerVersionCheck
{
    /// <summary>The check's name in reports.</summary>
    public const string Name = "app.postgres-version";

    /// <summary>What the check proves.</summary>
    public const string Title = "The restore server is new enough for the application to boot on";

    /// <summary>Judges the restore image's major against the profile's <see cref="DrillProfile.AppMinimumPostgresMajor"/>; null when the profile sets none.</summary>
    public static CheckResult? Evaluate(DrillProfile profile, string image, int imageMajor)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.AppMinimumPostgresMajor is not { } minimum)
        {
            return null;
        }

        var app = profile.DisplayName ?? profile.Name;
        var expected = $"PostgreSQL {minimum} or newer, for -BootApp";
        if (imageMajor >= minimum)
        {
            return CheckResult.Pass(Name, Title, expected, $"'{image}' is PostgreSQL {imageMajor}");
        }

        var why = profile.AppMinimumPostgresReason is { } reason ? $" ({reason})" : "";
        var message = $"-BootApp needs PostgreSQL {minimum} or newer: {app} does not boot on an older server{why}. The restore image '{image}' is PostgreSQL {imageMajor}, " +
                      $"so the boot would fail for that reason, not because of the backup. Use an image of major {minimum} or newer ({PostgresImageChoice.NewestBuiltLocally}, " +
                      "which fixtures/engine/ensure-engine.sh builds, or set DRILL_POSTGRES_IMAGE), or drill without -BootApp.";
        return CheckResult.Fail(Name, Title, expected, message);
    }
}
