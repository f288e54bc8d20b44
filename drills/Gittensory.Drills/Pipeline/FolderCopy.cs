namespace Gittensory.Drills.Pipeline;

/// <summary>A host folder whose files are copied into a container's folder before it starts and back after it stops (a remote engine cannot mount it).</summary>
/// <param name="HostFolder">The folder on this host.</param>
/// <param name="ContainerFolder">The folder in the container (absolute).</param>
internal sealed record FolderCopy(string HostFolder, string ContainerFolder);
