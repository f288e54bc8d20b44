namespace Gittensory.Drills.Stores.Postgres;

/// <summary>The names of the checks only the Postgres store makes (the rest are named by their check classes, e.g. <c>RowCountCheck.Name</c>).</summary>
public static class PostgresCheckNames
{
    /// <summary>The archive is a whole, readable custom-format dump.</summary>
    public const string Archive = "postgres.archive";

    /// <summary>The restore image can read the archive.</summary>
    public const string Image = "postgres.image";

    /// <summary>The live database given for comparison is not the restore target.</summary>
    public const string LiveSafety = "live.not-the-target";
}
