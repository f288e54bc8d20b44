namespace Gittensory.Drills.Preflight;

/// <summary>
/// One member of a tar archive as its headers describe it: the name after GNU long-name and PAX records are applied,
/// the type flag, the bytes stored in the archive and the file's own (logical) size, which differ only for GNU sparse members.
/// </summary>
/// <param name="Name">The member's path, without a leading <c>./</c> or a trailing <c>/</c>.</param>
/// <param name="Type">The type flag: <c>'0'</c> file, <c>'5'</c> directory, <c>'S'</c> GNU sparse file, ...</param>
/// <param name="StoredBytes">Bytes of data stored in the archive for it (the header's size field).</param>
/// <param name="Size">The file's logical size (for a sparse member, its real size with the holes).</param>
/// <param name="Offset">Where its first header starts in the archive, in bytes.</param>
/// <param name="SparseMap">For a GNU sparse member, each stored region as (offset in the file, length); otherwise null.</param>
internal sealed record TarEntryHeader(string Name, char Type, long StoredBytes, long Size, long Offset, IReadOnlyList<(long Offset, long Length)>? SparseMap)
{
    /// <summary>A regular file, sparse or not.</summary>
    public bool IsFile => Type is '0' or '\0' or '7' or 'S';

    /// <summary>A directory.</summary>
    public bool IsDirectory => Type == '5';

    /// <summary>A GNU sparse member (type 'S'), which System.Formats.Tar's reader refuses.</summary>
    public bool IsSparse => Type == 'S';
}
