using System.Security.Cryptography;

namespace StreamVault.Data;

/// <summary>
/// A Fernet key: 32 bytes, the first 16 the HMAC-SHA256 signing key, the last 16 the AES-128 encryption key. The app
/// keeps one in <c>global_settings.proxy_encryption_key</c> as the 44 characters of base64url (padding included) that
/// Python's <c>Fernet.generate_key()</c> writes, and uses it for all three of its encrypted columns.
/// </summary>
public sealed class FernetKey
{
    private const int KeyBytes = 32;
    private const int HalfBytes = 16;

    // 32 bytes are 43 base64 characters and one '=' of padding.
    private const int KeyTextLength = 44;

    private readonly byte[] _bytes;

    private FernetKey(byte[] bytes) => _bytes = bytes;

    internal ReadOnlySpan<byte> SigningKey => _bytes.AsSpan(0, HalfBytes);

    internal ReadOnlySpan<byte> EncryptionKey => _bytes.AsSpan(HalfBytes, HalfBytes);

    /// <summary>
    /// Reads a key as the app stores it: 44 characters of base64url ending in one <c>=</c>, as
    /// <c>Fernet.generate_key()</c> writes it.
    /// </summary>
    /// <param name="keyText">The key text, e.g. the value of <c>global_settings.proxy_encryption_key</c>.</param>
    /// <returns>The key.</returns>
    /// <exception cref="FernetException">The text is not a Fernet key (the message does not repeat it).</exception>
    public static FernetKey Parse(string keyText)
    {
        ArgumentNullException.ThrowIfNull(keyText);

        // Only the canonical form: every key the app stores came from generate_key(), and a stricter reader than
        // Python's lenient base64 decoder never accepts a key the app would read differently.
        if (keyText.Length != KeyTextLength || FernetCodec.DecodeBase64UrlPadded(keyText) is not { Length: KeyBytes } bytes)
        {
            throw FernetErrors.InvalidKey();
        }

        return new FernetKey(bytes);
    }

    /// <summary>A new random key, as <c>Fernet.generate_key()</c> makes one (32 bytes from the system's CSPRNG).</summary>
    /// <returns>The key; <see cref="ExportKeyText"/> gives the text to store.</returns>
    public static FernetKey Generate() => new(RandomNumberGenerator.GetBytes(KeyBytes));

    /// <summary>
    /// The key as the app stores it in <c>global_settings.proxy_encryption_key</c>: 44 characters of base64url with
    /// its padding. This is the secret itself; it is a method, not <see cref="object.ToString"/>, so that it never
    /// lands in a log by accident.
    /// </summary>
    /// <returns>The key text.</returns>
    public string ExportKeyText() => FernetCodec.ToBase64UrlPadded(_bytes);
}
