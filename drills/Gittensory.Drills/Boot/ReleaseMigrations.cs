namespace Gittensory.Drills.Boot;

/// <summary>The migrations of the release under test: the <c>*.sql</c> file names of a folder, or the names in a file (one a line, <c>#</c> comments).</summary>
public static class ReleaseMigrations
{
    /// <summary>Reads the names in name order; throws <see cref="AppBootRefusedException"/> when <paramref name="path"/> is neither.</summary>
    public static IReadOnlyList<string> Read(string path)
    {
        IEnumerable<string> names;
        if (Directory.Exists(path))
        {
            names = Directory.EnumerateFiles(path, "*.sql").Select(Path.GetFileName)!;
        }
        else if (File.Exists(path))
        {
            names = File.ReadLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'));
        }
        else
        {
            throw new AppBootRefusedException($"The release's migrations '{path}' are neither a folder of .sql files nor a file of names (-AppMigrations).");
        }

        var list = names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return list.Count > 0
            ? list
            : throw new AppBootRefusedException($"The release's migrations '{path}' name no migration: give the release's migrations folder (*.sql) or a file with one name a line.");
    }
}
