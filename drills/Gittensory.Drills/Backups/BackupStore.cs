namespace Gittensory.Drills.Backups;

/// <summary>The stores LoopOver backs up, each in its own folder under the backups root.</summary>
public enum BackupStore
{
    /// <summary><c>postgres/&lt;prefix&gt;-&lt;ts&gt;.dump</c>, a <c>pg_dump -Fc</c> archive.</summary>
    Postgres,

    /// <summary><c>sqlite/&lt;prefix&gt;-&lt;ts&gt;.sqlite.gz</c>, a gzipped SQLite online backup.</summary>
    Sqlite,

    /// <summary><c>qdrant/&lt;name&gt;.snapshot</c>, a Qdrant snapshot.</summary>
    Qdrant,
}
