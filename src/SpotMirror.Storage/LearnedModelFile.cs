using System.Runtime.InteropServices;
using SpotMirror.Core.Engines;

namespace SpotMirror.Storage;

/// <summary>
/// The learned model's factors in a binary file beside the database, so a restart loads them instead of
/// refitting. The header names the catalogue (fingerprint and size) and the shapes; a file that is
/// missing, truncated, of another format or of another catalogue is refused with a reason. Little-endian.
/// </summary>
public static class LearnedModelFile
{
    private const int FormatVersion = 2;
    private static readonly byte[] Magic = "SMIALS01"u8.ToArray();
    private static readonly byte[] Trailer = "SMIALEND"u8.ToArray();
    private const int HeaderBytes = 8 + 4 + 8 + 4 + (3 * 4) + (2 * 8) + (2 * 4) + 8;

    public static string PathBeside(string databasePath) => databasePath + ".ials";

    /// <summary>Writes to a temporary file first and moves it over the old one, so a crash leaves the old file whole.</summary>
    public static void Save(string path, ImplicitAlsModel model, ulong catalogFingerprint, int catalogCount)
    {
        ArgumentNullException.ThrowIfNull(model);
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            foreach (var section in Sections(model, catalogFingerprint, catalogCount)) stream.Write(section());
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// The model in this format as a read-only stream of known length, made from the factors as it is read: a database
    /// column is written from it in pieces (SQLite) or streamed to the server (PostgreSQL), with no array of the whole
    /// model (a quarter to half a gigabyte at a million tracks) beside the model itself.
    /// </summary>
    public static Stream OpenRead(ImplicitAlsModel model, ulong catalogFingerprint, int catalogCount)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new SectionStream(Sections(model, catalogFingerprint, catalogCount));
    }

    /// <summary>How many bytes the model takes in this format.</summary>
    public static long SizeOf(ImplicitAlsModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        (long k, long items, long users) = (model.Factors, model.ItemCount, model.UserCount);
        return HeaderBytes + (8 * items) + (2 * items * k) + (8 * users) + (4 * users * k) + (8 * k * k) + Trailer.Length;
    }

    /// <summary>The model read from a stream in this format (a blob read in place), or null and why not.</summary>
    public static (ImplicitAlsModel? Model, string? Refused) FromStream(Stream stream, ulong catalogFingerprint, int catalogCount)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return FromStream(stream, stream.Length, catalogFingerprint, catalogCount);
    }

    /// <summary>
    /// The model read from a stream of length bytes that cannot tell its own length (a column read off the wire), or null
    /// and why not. Only the model's arrays are allocated, never a buffer of the whole body.
    /// </summary>
    public static (ImplicitAlsModel? Model, string? Refused) FromStream(Stream stream, long length, ulong catalogFingerprint, int catalogCount)
    {
        try
        {
            return Read(stream, length, catalogFingerprint, catalogCount);
        }
        catch (EndOfStreamException)
        {
            return (null, "the published model is truncated");
        }
    }

    /// <summary>The format's parts in order; the factor parts are the model's arrays as they are in memory (no copy).</summary>
    private static SectionStream.Section[] Sections(ImplicitAlsModel model, ulong catalogFingerprint, int catalogCount)
    {
        var header = new MemoryStream(HeaderBytes);
        using (var writer = new BinaryWriter(header, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            var s = model.Settings;
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(catalogFingerprint);
            writer.Write(catalogCount);
            writer.Write(s.Factors);
            writer.Write(model.ItemCount);
            writer.Write(model.UserCount);
            writer.Write(s.Alpha0);
            writer.Write(s.Lambda);
            writer.Write(s.Epochs);
            writer.Write(s.CgSteps);
            writer.Write(model.FitTime.Ticks);
        }
        var head = header.ToArray();
        return
        [
            () => head,
            () => MemoryMarshal.AsBytes(model.Items),
            () => MemoryMarshal.AsBytes(model.ItemFactors),
            () => MemoryMarshal.AsBytes(model.Users),
            () => MemoryMarshal.AsBytes(model.UserFactors),
            () => MemoryMarshal.AsBytes(model.Gram),
            () => Trailer,
        ];
    }

    /// <summary>The model in the file, or null and why not.</summary>
    public static (ImplicitAlsModel? Model, string? Refused) Load(string path, ulong catalogFingerprint, int catalogCount)
    {
        if (!File.Exists(path)) return (null, "no model file");
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            return Read(stream, stream.Length, catalogFingerprint, catalogCount);
        }
        catch (IOException exception)
        {
            return (null, "unreadable: " + exception.Message);
        }
        catch (UnauthorizedAccessException exception)
        {
            return (null, "unreadable: " + exception.Message);
        }
    }

    private static (ImplicitAlsModel? Model, string? Refused) Read(Stream stream, long length, ulong catalogFingerprint, int catalogCount)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        if (length < HeaderBytes || !reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic) || reader.ReadInt32() != FormatVersion)
        {
            return (null, "not a model file of this format");
        }
        var (fingerprint, count) = (reader.ReadUInt64(), reader.ReadInt32());
        if (fingerprint != catalogFingerprint || count != catalogCount) return (null, "the model was fitted on another catalogue");
        var (k, items, users) = (reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
        var settings = new ImplicitAlsSettings
        {
            Factors = k, Alpha0 = reader.ReadDouble(), Lambda = reader.ReadDouble(), Epochs = reader.ReadInt32(), CgSteps = reader.ReadInt32(),
        };
        var fitTime = TimeSpan.FromTicks(reader.ReadInt64());
        if (k is < 1 or > 4096 || items < 0 || users < 0) return (null, "the header is damaged");
        var expected = HeaderBytes + (8L * items) + (2L * items * k) + (8L * users) + (4L * users * k) + (8L * k * k) + Trailer.Length;
        if (length != expected) return (null, length < expected ? "the file is truncated" : "the file is longer than its header says");
        var itemIds = Read<long>(stream, items);
        var itemFactors = Read<Half>(stream, (long)items * k);
        var userIds = Read<long>(stream, users);
        var userFactors = Read<float>(stream, (long)users * k);
        var gram = Read<double>(stream, (long)k * k);
        if (!reader.ReadBytes(Trailer.Length).AsSpan().SequenceEqual(Trailer)) return (null, "the file's end marker is missing");
        return (ImplicitAlsModel.FromStored(settings, itemIds, itemFactors, userIds, userFactors, gram, fitTime), null);
    }

    private static T[] Read<T>(Stream stream, long count) where T : struct
    {
        var values = new T[count];
        stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }
}
