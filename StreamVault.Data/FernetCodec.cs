using System.Buffers.Text;

namespace StreamVault.Data;

/// <summary>Base64url as Python's <c>base64.urlsafe_b64encode</c> writes it: URL-safe alphabet, padded with '='.</summary>
internal static class FernetCodec
{
    internal static string ToBase64UrlPadded(ReadOnlySpan<byte> bytes)
    {
        // Base64Url leaves the padding out; Python writes it, and its decoder refuses a key or token without it.
        var text = Base64Url.EncodeToString(bytes);
        return (text.Length % 4) switch
        {
            2 => text + "==",
            3 => text + "=",
            _ => text,
        };
    }

    /// <summary>
    /// The bytes of <paramref name="text"/> if it is padded base64url, and only then (null otherwise): the URL-safe
    /// alphabet, a length that is a multiple of 4, '=' only as the last one or two characters. .NET's decoders skip
    /// whitespace and take '+', '/' or missing padding, so the characters are checked here first; what passes is a
    /// form Python's decoder reads to the same bytes.
    /// </summary>
    internal static byte[]? DecodeBase64UrlPadded(string text)
    {
        if (text.Length % 4 != 0)
        {
            return null;
        }

        var padding = text.EndsWith("==", StringComparison.Ordinal) ? 2 : text.EndsWith('=') ? 1 : 0;
        var body = text.AsSpan(0, text.Length - padding);
        foreach (var c in body)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
            {
                return null;
            }
        }

        try
        {
            return Base64Url.DecodeFromChars(body);
        }
        catch (FormatException)
        {
            // Not reached by what the checks above let through (no body of 4n+1 characters is left); kept so that any
            // text .NET refuses is reported as not base64url rather than as a FormatException.
            return null;
        }
    }
}
