namespace Gittensory.Drills.Reporting;

/// <summary>The report folder cannot be written: found before the drill starts (nothing ran), or at its end (the verdict is in <see cref="Report"/>).</summary>
public sealed class ReportNotWrittenException : Exception
{
    /// <summary>Creates the exception with its message, the report that could not be written (null when the drill did not start) and the cause.</summary>
    public ReportNotWrittenException(string message, DrillReport? report, Exception? inner)
        : base(message, inner)
    {
        Report = report;
    }

    /// <summary>The finished drill's report that could not be written, or null when the folder was found unusable before the drill started.</summary>
    public DrillReport? Report { get; }

    /// <summary>The exit code: always 2, "the drill could not run" (its result is not recorded).</summary>
    public static int ExitCode => 2;
}
