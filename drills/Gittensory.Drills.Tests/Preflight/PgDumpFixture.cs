using Gittensory.Drills.Checks;
using System.Globalization;
using System.Security.Cryptography;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Sandbox;
using Testcontainers.PostgreSql;
using Xunit;

namespace Gittensory.Drills.Tests.Preflight;

/// <summary>
/// One Postgres 15 container (image from <c>DRILL_POSTGRES_IMAGE</c>) with a small LoopOver-like database of known row counts,
/// and the real pg_dump outputs of it (custom default, custom -Z0, custom through a pipe, with --exclude-table-data, plain, tar,
/// directory), copied to a temporary folder. Created on first use by a test, after <see cref="EngineGate"/> has let it run.
/// </summary>
public sealed class PgDumpFixture : IAsyncLifetime
{
    /// <summary>The dumped database's name.</summary>
    public const string Database = "loopover";

    /// <summary>Rows in public.big: enough for its data to span many chunks.</summary>
    public const int BigRows = 50_000;

    /// <summary>The value of public._selfhost_jobs_id_seq after the inserts.</summary>
    public const int JobRows = 42;

    private const string Schema = """
        CREATE EXTENSION citext;
        CREATE SCHEMA audit;
        CREATE TABLE public.small (id int PRIMARY KEY, note text, code citext);
        INSERT INTO public.small VALUES
          (1, 'plain', 'A'),
          (2, E'two\nlines\tand a tab', 'b'),
          (3, E'a backslash \\ and \\.', NULL),
          (4, NULL, 'd');
        CREATE TABLE public.empty_table (id int);
        CREATE TABLE public._selfhost_jobs (id BIGSERIAL PRIMARY KEY, status text NOT NULL DEFAULT 'pending');
        INSERT INTO public._selfhost_jobs (status) SELECT 'pending' FROM generate_series(1, 42);
        CREATE SEQUENCE public.never_used_seq;
        CREATE TABLE public.big (id int, payload text);
        INSERT INTO public.big SELECT g, md5(g::text) || E'\t' || repeat('x', g % 17) FROM generate_series(1, 50000) g;
        CREATE INDEX big_payload_idx ON public.big (payload);
        COMMENT ON TABLE public.big IS 'many rows';
        CREATE TABLE public.blank_lines (v text);
        INSERT INTO public.blank_lines VALUES (''), (''), (E'\\.');
        CREATE TABLE public.excluded_data (id int);
        INSERT INTO public.excluded_data SELECT generate_series(1, 5);
        CREATE TABLE audit.events (id int PRIMARY KEY, small_id int REFERENCES public.small (id));
        INSERT INTO audit.events VALUES (1, 1), (2, 2);
        SELECT lo_from_bytea(0, 'a large object'::bytea);
        SELECT lo_from_bytea(0, convert_to(repeat('large object ', 10000), 'UTF8'));
        """;

    private const string CountQuery = """
        SELECT 'public.small', count(*) FROM public.small UNION ALL
        SELECT 'public.empty_table', count(*) FROM public.empty_table UNION ALL
        SELECT 'public._selfhost_jobs', count(*) FROM public._selfhost_jobs UNION ALL
        SELECT 'public.big', count(*) FROM public.big UNION ALL
        SELECT 'public.blank_lines', count(*) FROM public.blank_lines UNION ALL
        SELECT 'public.excluded_data', count(*) FROM public.excluded_data UNION ALL
        SELECT 'audit.events', count(*) FROM audit.events
        """;

    private readonly string runId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    private readonly Lazy<Task> creation;

    /// <summary>Creates the fixture; its containers start when a test first asks for them.</summary>
    public PgDumpFixture() => creation = new Lazy<Task>(() => CreateAsync(CancellationToken.None));
    private PostgreSqlContainer? container;

    /// <summary>The folder the dumps were copied to; tests write their damaged copies here too. Removed at the end.</summary>
    public string Folder { get; private set; } = "";

    /// <summary><c>pg_dump -Fc</c> (default compression), written to a seekable file.</summary>
    public string CustomDump => Path.Combine(Folder, "default.dump");

    /// <summary><c>pg_dump -Fc -Z0</c>.</summary>
    public string UncompressedDump => Path.Combine(Folder, "uncompressed.dump");

    /// <summary><c>pg_dump -Fc | cat &gt; file</c>: through a pipe, so no data offsets are recorded.</summary>
    public string PipedDump => Path.Combine(Folder, "piped.dump");

    /// <summary><c>pg_dump -Fc --exclude-table-data=public.excluded_data</c>.</summary>
    public string ExcludedDataDump => Path.Combine(Folder, "excluded.dump");

    /// <summary><c>pg_dump -Fp</c>.</summary>
    public string PlainDump => Path.Combine(Folder, "plain.sql");

    /// <summary><c>pg_dump -Ft</c>.</summary>
    public string TarDump => Path.Combine(Folder, "tar.dump");

    /// <summary><c>pg_dump -Fd</c> (a folder).</summary>
    public string DirectoryDump => Path.Combine(Folder, "directory.dump");

    /// <summary>Each table's row count as the server reports it, by <c>schema.table</c>.</summary>
    public IReadOnlyDictionary<TableName, long> RealCounts { get; private set; } = new Dictionary<TableName, long>();

    /// <summary>What the container's <c>pg_restore -l</c> prints for <see cref="CustomDump"/>.</summary>
    public string PgRestoreList { get; private set; } = "";

    /// <summary>Lets the calling test run only with an engine (skips or fails per <see cref="EngineGate"/>), then makes the dumps once.</summary>
    public async Task RequireAsync(CancellationToken ct = default)
    {
        await EngineGate.RequireEngineAsync(ct);
        // One creation for every test that needs it, whichever asks first; a test cancelled while waiting leaves it running.
        await creation.Value.WaitAsync(ct);
    }

    /// <summary>Runs <paramref name="script"/> with sh in the container; throws with its exit code and stderr when it fails.</summary>
    public async Task<string> ShAsync(string script, CancellationToken ct = default)
    {
        var c = container ?? throw new InvalidOperationException("RequireAsync first.");
        var result = await c.ExecAsync(["sh", "-c", script], ct);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{script}' exited {result.ExitCode} in the test container: {result.Stderr.Trim()}");
        }

        return result.Stdout;
    }

    /// <summary>Copies <paramref name="bytes"/> into the container at <paramref name="path"/>.</summary>
    public Task CopyInAsync(byte[] bytes, string path, CancellationToken ct = default) =>
        (container ?? throw new InvalidOperationException("RequireAsync first.")).CopyAsync(bytes, path, ct: ct);

    /// <inheritdoc />
    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (container is not null)
        {
            await container.DisposeAsync();
        }

        if (Folder.Length > 0 && Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }

    private async Task CreateAsync(CancellationToken ct)
    {
        Folder = Path.Combine(Path.GetTempPath(), $"gittensory-drills-preflight-{runId}");
        Directory.CreateDirectory(Folder);
        container = new PostgreSqlBuilder(DrillImages.FromEnvironment().PostgresFor(15))
            .WithName($"gittensory-drills-preflight-{runId}")
            .WithDatabase(Database)
            .WithUsername("postgres")
            .WithPassword(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)))
            .Build();
        await container.StartAsync(ct);

        await container.CopyAsync(System.Text.Encoding.UTF8.GetBytes(Schema), "/tmp/schema.sql", ct: ct);
        await ShAsync($"psql -X -q -v ON_ERROR_STOP=1 -U postgres -d {Database} -f /tmp/schema.sql >/dev/null", ct);

        const string dump = $"pg_dump -U postgres -d {Database}";
        await ShAsync(string.Join(" && ",
            "mkdir -p /tmp/dumps && cd /tmp/dumps",
            $"{dump} -Fc -f default.dump",
            $"{dump} -Fc -Z0 -f uncompressed.dump",
            $"{dump} -Fc | cat > piped.dump",
            $"{dump} -Fc --exclude-table-data=public.excluded_data -f excluded.dump",
            $"{dump} -Fp -f plain.sql",
            $"{dump} -Ft -f tar.dump",
            $"{dump} -Fd -f directory.dump"), ct);

        foreach (var name in new[] { "default.dump", "uncompressed.dump", "piped.dump", "excluded.dump", "plain.sql", "tar.dump" })
        {
            await File.WriteAllBytesAsync(Path.Combine(Folder, name), await container.ReadFileAsync($"/tmp/dumps/{name}", ct), ct);
        }

        Directory.CreateDirectory(DirectoryDump);
        foreach (var name in (await ShAsync("ls /tmp/dumps/directory.dump", ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await File.WriteAllBytesAsync(Path.Combine(DirectoryDump, name), await container.ReadFileAsync($"/tmp/dumps/directory.dump/{name}", ct), ct);
        }

        PgRestoreList = await ShAsync("pg_restore -l /tmp/dumps/default.dump", ct);
        var counts = await ShAsync($"psql -X -At -F '|' -U postgres -d {Database} -c \"{CountQuery.ReplaceLineEndings(" ")}\"", ct);
        RealCounts = counts.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('|'))
            .ToDictionary(parts => new TableName(parts[0][..parts[0].IndexOf('.', StringComparison.Ordinal)], parts[0][(parts[0].IndexOf('.', StringComparison.Ordinal) + 1)..]), parts => long.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
