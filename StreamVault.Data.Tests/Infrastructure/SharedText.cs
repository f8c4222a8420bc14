using System.Text;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>
/// A text writer a run writes to from its threads while the test reads what it has so far: every write and every read
/// takes one lock (a StringWriter read while another thread appends may throw or tear).
/// </summary>
public sealed class SharedText : TextWriter
{
    private readonly Lock _lock = new();
    private readonly StringBuilder _text = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_lock)
        {
            _text.Append(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_lock)
        {
            _text.Append(value);
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (_lock)
        {
            _text.Append(buffer, index, count);
        }
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        lock (_lock)
        {
            _text.Append(buffer);
        }
    }

    public override string ToString()
    {
        lock (_lock)
        {
            return _text.ToString();
        }
    }
}
