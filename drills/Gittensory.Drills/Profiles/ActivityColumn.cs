namespace Gittensory.Drills.Profiles;

/// <summary>A text column holding time stamps of recent activity, e.g. <c>webhook_events.received_at</c>.</summary>
public sealed record ActivityColumn(string Table, string Column);
