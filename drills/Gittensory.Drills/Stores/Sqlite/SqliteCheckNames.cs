using Gittensory.Drills.Checks;

namespace Gittensory.Drills.Stores.Sqlite;

/// <summary>The names of the checks only the SQLite store makes.</summary>
public static class SqliteCheckNames
{
    /// <summary>The backup is whole gzip whose CRC-32 and length match its trailer.</summary>
    public const string Gzip = "sqlite.gzip";

    /// <summary>The expanded backup is a SQLite file passing <c>PRAGMA integrity_check</c>.</summary>
    public const string Integrity = SqliteIntegrityCheck.Name;

    /// <summary><c>PRAGMA foreign_key_check</c>.</summary>
    public const string ForeignKeys = ForeignKeyCheck.Name;

    /// <summary>Every table was read and counted.</summary>
    public const string Tables = SqliteTablesCheck.Name;
}
