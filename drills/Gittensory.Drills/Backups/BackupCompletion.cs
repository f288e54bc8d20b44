namespace Gittensory.Drills.Backups;

/// <summary>The scan's verdict on whether a backup file is whole, and the facts behind it.</summary>
/// <param name="State">Whole, cut short, still being written, or not judged.</param>
/// <param name="Detail">Why, in a sentence fragment that follows the file's name, e.g. "is cut short inside table public.webhook_events".</param>
/// <param name="CutInside">The table (or other TOC entry) whose data the file ends in, when known.</param>
public sealed record BackupCompletion(BackupCompleteness State, string Detail, string? CutInside = null);
