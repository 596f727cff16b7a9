using System.Runtime.InteropServices;
using System.Text;

namespace Ceasefire.Storage.Sqlite;

/// <summary>
/// Direct calls into the SQLite library that Microsoft.Data.Sqlite loads (<c>e_sqlite3</c>), for the one loop where
/// the wrapper's per-call cost outweighs SQLite's own work: binding the columns of a million read-model rows. The
/// bind calls are short and never block or call back, so they skip the GC transition; <c>sqlite3_step</c> does not.
/// Statements are those of <see cref="SQLitePCL.raw"/> (their handles), on the connection's own thread.
/// </summary>
internal static unsafe partial class NativeSqlite
{
    private const string Library = "e_sqlite3";

    /// <summary>SQLITE_TRANSIENT: SQLite copies the bytes before the call returns.</summary>
    private static readonly IntPtr Transient = new(-1);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_int64")]
    [SuppressGCTransition]
    public static partial int BindInt64(IntPtr stmt, int index, long value);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_int")]
    [SuppressGCTransition]
    public static partial int BindInt(IntPtr stmt, int index, int value);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_double")]
    [SuppressGCTransition]
    public static partial int BindDouble(IntPtr stmt, int index, double value);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_null")]
    [SuppressGCTransition]
    public static partial int BindNull(IntPtr stmt, int index);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_text")]
    [SuppressGCTransition]
    private static partial int BindText(IntPtr stmt, int index, byte* text, int length, IntPtr destructor);

    [LibraryImport(Library, EntryPoint = "sqlite3_step")]
    public static partial int Step(IntPtr stmt);

    [LibraryImport(Library, EntryPoint = "sqlite3_reset")]
    public static partial int Reset(IntPtr stmt);

    /// <summary>Binds <paramref name="utf8"/> as text.</summary>
    public static int BindText(IntPtr stmt, int index, ReadOnlySpan<byte> utf8)
    {
        fixed (byte* p = utf8)
        {
            return BindText(stmt, index, p, utf8.Length, Transient);
        }
    }

    /// <summary>Binds <paramref name="value"/> as UTF-8 text, or NULL.</summary>
    public static int BindText(IntPtr stmt, int index, string? value)
    {
        if (value is null)
        {
            return BindNull(stmt, index);
        }
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max <= 1024)
        {
            Span<byte> utf8 = stackalloc byte[max];
            var n = Encoding.UTF8.GetBytes(value, utf8);
            fixed (byte* p = utf8)
            {
                return BindText(stmt, index, p, n, Transient);
            }
        }
        var bytes = Encoding.UTF8.GetBytes(value);
        fixed (byte* p = bytes)
        {
            return BindText(stmt, index, p, bytes.Length, Transient);
        }
    }
}
