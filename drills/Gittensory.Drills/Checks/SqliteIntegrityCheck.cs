using Gittensory.Drills.Restore;

namespace Gittensory.Drills.Checks;

/// <summary>The expanded backup is a SQLite 3 database that passes SQLite's full <c>PRAGMA integrity_check</c> (every page, index and constraint).</summary>
public static class SqliteIntegrityCheck
{
    /// <summary>The check's name in reports.</summary>
    public const string Name = "sqlite.integrity";

    private const string Title = "The database is a sound SQLite file";
    private const string Expected = "a SQLite 3 file, and 'ok' from the full PRAGMA integrity_check";

    /// <summary>Judges the rows of <c>PRAGMA integrity_check</c> on a file of <paramref name="bytes"/> bytes with <paramref name="header"/>.</summary>
    public static CheckResult Evaluate(SqliteFileHeader header, long bytes, IReadOnlyList<string> rows)
    {
        if (rows is ["ok"])
        {
            var pages = header.PageCount is { } count ? $"{count:N0} pages" : "pages";
            return CheckResult.Pass(Name, Title, Expected,
                $"ok: {bytes:N0} bytes, {pages} of {header.PageSize:N0} bytes, {(header.Wal ? "WAL" : "rollback")} journal mode");
        }

        var limit = rows.Count >= 100 ? " (it stops at 100)" : "";
        return CheckResult.Fail(Name, Title, Expected, $"PRAGMA integrity_check found {rows.Count} problems{limit}; the first: {rows.FirstOrDefault() ?? "(no answer)"}", rows);
    }

    /// <summary>The check failed because <paramref name="name"/> expanded to bytes that are not a SQLite 3 database.</summary>
    public static CheckResult NotADatabase(string name, long bytes, byte[] head) =>
        CheckResult.Fail(Name, Title, Expected, bytes == 0
            ? $"'{name}' expanded to 0 bytes: an empty file, not a SQLite database."
            : $"'{name}' expanded to {bytes:N0} bytes that are not a SQLite database: they begin with {BytePreview.Describe(head)} instead of 'SQLite format 3'.");

    /// <summary>The check failed because SQLite could not read the expanded copy of <paramref name="name"/>.</summary>
    public static CheckResult Unreadable(string name, string message) =>
        CheckResult.Fail(Name, Title, Expected, $"SQLite could not read the expanded copy of '{name}': {message}");
}
