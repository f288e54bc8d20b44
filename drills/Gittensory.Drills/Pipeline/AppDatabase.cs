namespace Gittensory.Drills.Pipeline;

/// <summary>How the booted application reaches its restored database.</summary>
/// <param name="Variables">What the drill sets for it: <c>DATABASE_URL</c> (Postgres) or <c>DATABASE_PATH</c> (SQLite).</param>
/// <param name="Secrets">Values to redact everywhere (the scratch password).</param>
/// <param name="Described">The source of those variables, for the report.</param>
/// <param name="ContainerId">The scratch server's container, to join the application's internal network as <paramref name="Alias"/>; null for SQLite.</param>
/// <param name="Alias">Its alias there.</param>
/// <param name="Binds">Host folders the application container mounts (<c>host:container:rw</c>): the SQLite copy's folder.</param>
/// <param name="Copies">Instead of <paramref name="Binds"/> on a remote engine: host folders whose files are copied into the application container before it starts, and back after it stops.</param>
internal sealed record AppDatabase(
    IReadOnlyDictionary<string, string> Variables, IReadOnlyList<string> Secrets, string Described, string? ContainerId, string? Alias, IReadOnlyList<string> Binds,
    IReadOnlyList<FolderCopy>? Copies = null);
