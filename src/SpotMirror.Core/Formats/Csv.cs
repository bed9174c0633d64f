using System.Text;

namespace SpotMirror.Core.Formats;

/// <summary>An RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks.</summary>
public static class Csv
{
    public static IEnumerable<(int Line, string[] Fields)> Read(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var line = 1;
        var recordLine = 1;
        var any = false;
        int c;
        while ((c = reader.Read()) != -1)
        {
            var ch = (char)c;
            if (inQuotes)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (ch == '\n') line++;
                    field.Append(ch);
                }
                continue;
            }
            switch (ch)
            {
                case '"' when field.Length == 0:
                    inQuotes = true;
                    any = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    any = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    if (any || field.Length > 0)
                    {
                        fields.Add(field.ToString());
                        yield return (recordLine, fields.ToArray());
                    }
                    fields.Clear();
                    field.Clear();
                    any = false;
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(ch);
                    any = true;
                    break;
            }
        }
        if (inQuotes) throw new FormatException($"Line {recordLine}: a quoted field is not closed before the end of the file.");
        if (any || field.Length > 0)
        {
            fields.Add(field.ToString());
            yield return (recordLine, fields.ToArray());
        }
    }
}
