namespace Gittensory.Drills.Backups;

/// <summary>What an entry in the backups root is, read from its status without opening it (so a FIFO cannot block the drill).</summary>
public enum BackupEntryKind
{
    /// <summary>Nothing by that name (or a symbolic link whose target is missing).</summary>
    Missing,

    /// <summary>A regular file: the only kind the drill ever opens.</summary>
    RegularFile,

    /// <summary>A folder.</summary>
    Directory,

    /// <summary>A symbolic link (only when links are not followed).</summary>
    SymbolicLink,

    /// <summary>A FIFO (named pipe): opening it for reading blocks until something writes to it.</summary>
    Fifo,

    /// <summary>A character device such as <c>/dev/zero</c> or a terminal.</summary>
    CharacterDevice,

    /// <summary>A block device such as a disk.</summary>
    BlockDevice,

    /// <summary>A Unix domain socket.</summary>
    Socket,

    /// <summary>Something else, or a kind this platform does not report.</summary>
    Unknown,
}
