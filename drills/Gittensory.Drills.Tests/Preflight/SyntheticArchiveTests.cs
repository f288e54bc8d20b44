using FluentAssertions;
using Gittensory.Drills.Preflight;
using Xunit;

namespace Gittensory.Drills.Tests.Preflight;

/// <summary>Checks <see cref="SyntheticArchive"/> against the real pg_restore 15, so the version tests do not test the reader against itself.</summary>
[Collection(PgDumpCollection.Name)]
public sealed class SyntheticArchiveTests(PgDumpFixture dumps)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("1.12.0", PgCompression.Gzip)]
    [InlineData("1.13.0", PgCompression.None)]
    [InlineData("1.14.0", PgCompression.Gzip)]
    [InlineData("1.14.0", PgCompression.None)]
    public async Task TheSyntheticWritersOutputIsReadByTheRealPgRestore(string version, PgCompression compression)
    {
        // Given a synthetic archive of a version pg_restore 15 reads
        await dumps.RequireAsync(Ct);
        var bytes = new SyntheticArchive { Version = Version.Parse(version), Compression = compression }
            .Table("public", "review_audit", "one\ntwo\n")
            .SequenceSet("public", "_selfhost_jobs_id_seq", 7, isCalled: true)
            .LargeObjects([1, 2, 3])
            .Build();
        var name = $"/tmp/synthetic-{version}-{compression}.dump";
        await dumps.CopyInAsync(bytes, name, Ct);

        // When pg_restore turns it into SQL
        var sql = await dumps.ShAsync($"pg_restore -f - {name}", Ct);

        // Then it finds the table, its rows, the sequence value and the large object
        sql.Should().Contain("CREATE TABLE public.review_audit (v text);");
        sql.Should().Contain("COPY public.review_audit (v) FROM stdin;\none\ntwo\n\\.");
        sql.Should().Contain("SELECT pg_catalog.setval('public._selfhost_jobs_id_seq', 7, true);");
        sql.Should().Contain("lo_open('16400'");
    }
}
