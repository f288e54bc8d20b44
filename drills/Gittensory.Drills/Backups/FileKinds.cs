using System.Runtime.InteropServices;

namespace Gittensory.Drills.Backups;

/// <summary>
/// Reads what a path is (regular file, FIFO, device, socket, link, folder) from its status, without opening it. .NET has no
/// public API for the file type, so on Unix this calls the runtime's own <c>SystemNative_LStat</c>/<c>SystemNative_Stat</c>
/// (libSystem.Native, which every .NET runtime ships and uses for <see cref="FileInfo"/>), reading only the mode word of its
/// platform-independent <c>FileStatus</c>; should that ever be missing, an entry of size 0 that is not a folder is reported as
/// <see cref="BackupEntryKind.Unknown"/>, which the drill never opens either.
/// </summary>
internal static partial class FileKinds
{
    // pal_io.h: FileStatus.Mode carries S_IFMT with these platform-independent values.
    private const int TypeMask = 0xF000;
    private const int Fifo = 0x1000;
    private const int CharDevice = 0x2000;
    private const int Directory = 0x4000;
    private const int BlockDevice = 0x6000;
    private const int Regular = 0x8000;
    private const int Link = 0xA000;
    private const int Socket = 0xC000;

    private static bool nativeMissing;

    /// <summary>What <paramref name="path"/> is; <paramref name="followLinks"/> false describes a symbolic link itself.</summary>
    public static BackupEntryKind Of(string path, bool followLinks)
    {
        if (!OperatingSystem.IsWindows() && !nativeMissing)
        {
            try
            {
                var status = default(NativeFileStatus);
                var rc = followLinks ? Stat(path, ref status) : LStat(path, ref status);
                return rc != 0 ? BackupEntryKind.Missing : (status.Mode & TypeMask) switch
                {
                    Regular => BackupEntryKind.RegularFile,
                    Directory => BackupEntryKind.Directory,
                    Link => BackupEntryKind.SymbolicLink,
                    Fifo => BackupEntryKind.Fifo,
                    CharDevice => BackupEntryKind.CharacterDevice,
                    BlockDevice => BackupEntryKind.BlockDevice,
                    Socket => BackupEntryKind.Socket,
                    _ => BackupEntryKind.Unknown,
                };
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                nativeMissing = true;
            }
        }

        return Fallback(path, followLinks);
    }

    /// <summary>How messages name a kind: "a FIFO (named pipe)", "a character device", ...</summary>
    public static string Describe(BackupEntryKind kind) => kind switch
    {
        BackupEntryKind.Missing => "missing",
        BackupEntryKind.RegularFile => "a file",
        BackupEntryKind.Directory => "a folder",
        BackupEntryKind.SymbolicLink => "a symbolic link",
        BackupEntryKind.Fifo => "a FIFO (named pipe)",
        BackupEntryKind.CharacterDevice => "a character device",
        BackupEntryKind.BlockDevice => "a block device",
        BackupEntryKind.Socket => "a socket",
        _ => "not a regular file",
    };

    private static BackupEntryKind Fallback(string path, bool followLinks)
    {
        FileSystemInfo info = System.IO.Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
        if (!followLinks && info.LinkTarget is not null)
        {
            return BackupEntryKind.SymbolicLink;
        }

        if (!info.Exists)
        {
            return BackupEntryKind.Missing;
        }

        return info is DirectoryInfo ? BackupEntryKind.Directory
            : ((FileInfo)info).Length > 0 ? BackupEntryKind.RegularFile
            : BackupEntryKind.Unknown;
    }

    // Larger than the runtime's FileStatus (about 120 bytes) so that the native side never writes past it.
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct NativeFileStatus
    {
        public int Flags;
        public int Mode;
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code for this one call; the marshalling here is trivial.
    [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", ExactSpelling = true)]
    private static extern int LStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, ref NativeFileStatus status);

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", ExactSpelling = true)]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, ref NativeFileStatus status);
#pragma warning restore SYSLIB1054
}
