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
    [InlineData(" finished item 3994 TABLE DATA sync_runs", 3994)] // its "pg_restore:" went to the line before (two processes wrote at once)
    [InlineData("pg_restore: pg_restore: finished item 12 TABLE DATA aprocessing item 13 CONSTRAINT a a_pkey", 12)]
    public void AFinishedTableDataItemGivesItsDumpId(string line, int id) =>
        PgRestoreLog.FinishedTableDataItems(line).Should().Equal(id);

    [Fact]
    public void TwoMessagesOnOneLineGiveBothDumpIds() =>
        PgRestoreLog.FinishedTableDataItems("pg_restore: pg_restore: finished item 5 TABLE DATA afinished item 6 TABLE DATA b").Should().Equal(5, 6);

    [Theory]
    [InlineData("pg_restore: finished item 3763 CONSTRAINT webhook_events webhook_events_pkey")]
    [InlineData("pg_restore: finished item 3994 SEQUENCE SET sync_runs_id_seq")]
    [InlineData("pg_restore: launching item 4001 TABLE DATA webhook_events")]
    [InlineData("pg_restore: processing data for table \"public.webhook_events\"")]
    [InlineData("pg_restore: finished item x TABLE DATA webhook_events")]
    [InlineData("pg_restore: finished main parallel loop")]
    public void NoOtherLineSaysATablesDataIsIn(string line) =>
        PgRestoreLog.FinishedTableDataItems(line).Should().BeEmpty();

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
    [InlineData(" finished item 3994 TABLE DATA sync_runs")]
    [InlineData("pg_restore: pg_restore: processing item 3763 CONSTRAINT webhook_events webhook_events_pkey")]
    [InlineData("pg_restore:pg_restore: processing data for table \"public.review_audit\"")] // as seen with two jobs
    public void ProgressLinesAreProgress(string line) => PgRestoreLog.IsProgress(line).Should().BeTrue();

    [Theory]
    [InlineData("pg_restore: error: could not execute query: ERROR:  relation \"webhook_events\" already exists")]
    [InlineData("pg_restore: while PROCESSING TOC:")]
    [InlineData("pg_restore: from TOC entry 215; 1259 16386 TABLE webhook_events loopover")]
    [InlineData("Command was: CREATE TABLE public.webhook_events (")]
    [InlineData("pg_restore: warning: errors ignored on restore: 1")]
    [InlineData("pg_restore: error: could not read from input file: end of file")]
    [InlineData("pg_restore: something new in a later release")]
    [InlineData("pg_restore: pg_restore: processing item 12 CONSTRAINT a a_pkeyerror: could not execute query")]
    public void ErrorsWarningsTheirContextAndAnythingUnknownAreKept(string line) => PgRestoreLog.IsProgress(line).Should().BeFalse();
}
