using FluentAssertions;
using Gittensory.Drills.Restore;
using Xunit;

namespace Gittensory.Drills.Tests.Restore;

/// <summary>pg_restore --verbose's lines, as PostgreSQL 15 and 17 write them: the table data finished, and what is only progress.</summary>
public sealed class PgRestoreLogTests
{
    [Theory]
    [InlineData("pg_restore: finished item 4001 TABLE DATA webhook_events", 4001)]
    [InlineData("pg_restore: finished item 7 TABLE DATA we ird", 7)]
    public void AFinishedTableDataItemGivesItsDumpId(string line, int id) =>
        PgRestoreLog.FinishedTableDataItem(line).Should().Be(id);

    [Theory]
    [InlineData("pg_restore: finished item 3763 CONSTRAINT webhook_events webhook_events_pkey")]
    [InlineData("pg_restore: finished item 3994 SEQUENCE SET sync_runs_id_seq")]
    [InlineData("pg_restore: launching item 4001 TABLE DATA webhook_events")]
    [InlineData("pg_restore: processing data for table \"public.webhook_events\"")]
    [InlineData("pg_restore: finished item x TABLE DATA webhook_events")]
    [InlineData("pg_restore: finished main parallel loop")]
    public void NoOtherLineSaysATablesDataIsIn(string line) =>
        PgRestoreLog.FinishedTableDataItem(line).Should().BeNull();

    [Theory]
    [InlineData("pg_restore: connecting to database for restore")]
    [InlineData("pg_restore: creating TABLE \"public.webhook_events\"")]
    [InlineData("pg_restore: creating SEQUENCE OWNED BY \"public._selfhost_jobs_id_seq\"")]
    [InlineData("pg_restore: processing item 3763 CONSTRAINT webhook_events webhook_events_pkey")]
    [InlineData("pg_restore: processing data for table \"public.webhook_events\"")]
    [InlineData("pg_restore: entering main parallel loop")]
    [InlineData("pg_restore: launching item 4001 TABLE DATA webhook_events")]
    [InlineData("pg_restore: finished item 4001 TABLE DATA webhook_events")]
    [InlineData("pg_restore: finished main parallel loop")]
    [InlineData("pg_restore: executing SEQUENCE SET _selfhost_jobs_id_seq")]
    public void ProgressLinesAreProgress(string line) => PgRestoreLog.IsProgress(line).Should().BeTrue();

    [Theory]
    [InlineData("pg_restore: error: could not execute query: ERROR:  relation \"webhook_events\" already exists")]
    [InlineData("pg_restore: while PROCESSING TOC:")]
    [InlineData("pg_restore: from TOC entry 215; 1259 16386 TABLE webhook_events loopover")]
    [InlineData("Command was: CREATE TABLE public.webhook_events (")]
    [InlineData("pg_restore: warning: errors ignored on restore: 1")]
    [InlineData("pg_restore: error: could not read from input file: end of file")]
    [InlineData("pg_restore: something new in a later release")]
    public void ErrorsWarningsTheirContextAndAnythingUnknownAreKept(string line) => PgRestoreLog.IsProgress(line).Should().BeFalse();
}
