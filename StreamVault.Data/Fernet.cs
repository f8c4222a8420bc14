using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace StreamVault.Data;

/// <summary>
/// Fernet tokens (https://github.com/fernet/spec), byte for byte as Python's <c>cryptography.fernet.Fernet</c> makes
/// and reads them: base64url (padded) of 0x80, a 64-bit big-endian Unix timestamp in seconds, a random 16-byte IV,
/// the AES-128-CBC ciphertext of the PKCS7-padded UTF-8 text, and an HMAC-SHA256 over all of that. The app encrypts
/// <c>global_settings.twitch_access_token</c>, <c>global_settings.twitch_refresh_token</c> and
/// <c>proxy_settings.proxy_url</c> this way; <see cref="AppSecretColumns"/> adds the app's rules for those columns.
/// </summary>
/// <remarks>
/// A token is only decrypted after its HMAC has been checked (in constant time), so a wrong key or an altered token
/// gives a <see cref="FernetException"/>, never garbage text. Instances are thread-safe.
/// </remarks>
public sealed class Fernet
{
    private const byte Version = 0x80;
    private const int TimestampBytes = 8;
    private const int IvBytes = 16;
    private const int BlockBytes = 16;
    private const int MacBytes = 32;
    private const int CiphertextOffset = 1 + TimestampBytes + IvBytes;

    // The shortest token has one block of ciphertext: PKCS7 always pads, so even empty text fills a block.
    private const int MinTokenBytes = CiphertextOffset + BlockBytes + MacBytes;

    // Python's cryptography (_MAX_CLOCK_SKEW): with a TTL, a token stamped more than this far ahead of now is refused.
    private const int MaxClockSkewSeconds = 60;

    // Strict both ways, as Python's str.encode("utf-8") / bytes.decode("utf-8") are: no silent U+FFFD.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly FernetKey _key;
    private readonly TimeProvider _time;

    /// <summary>Fernet with <paramref name="key"/>, reading the time from <paramref name="timeProvider"/>.</summary>
    /// <param name="key">The key, e.g. <see cref="FernetKey.Parse"/> of <c>global_settings.proxy_encryption_key</c>.</param>
    /// <param name="timeProvider">The clock for a new token's timestamp and for TTL checks; the system clock if null.</param>
    public Fernet(FernetKey key, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = key;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> (as UTF-8) into a token, stamped with the current time and a random IV,
    /// as <c>Fernet(key).encrypt(plaintext.encode("utf-8")).decode("utf-8")</c> does.
    /// </summary>
    /// <param name="plaintext">The text; empty text makes a token too (the app's columns store it bare, see <see cref="AppSecretColumns"/>).</param>
    /// <returns>The token: ASCII, 100 characters for up to 15 bytes of text, about 21 more for every further 16 bytes.</returns>
    /// <exception cref="ArgumentException">The text holds a lone surrogate, so it has no UTF-8 form.</exception>
    public string Encrypt(string plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        byte[] data;
        try
        {
            data = StrictUtf8.GetBytes(plaintext);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException("The text holds a lone surrogate, so it has no UTF-8 form to encrypt.", nameof(plaintext), e);
        }

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (now < 0)
        {
            // The timestamp is unsigned; Python fails here too (int.to_bytes of a negative number).
            throw new InvalidOperationException("The clock reads a time before 1970, which a Fernet timestamp cannot hold.");
        }

        Span<byte> iv = stackalloc byte[IvBytes];
        RandomNumberGenerator.Fill(iv);
        return EncryptAt(data, (ulong)now, iv);
    }

    /// <summary>
    /// Decrypts <paramref name="token"/> into its UTF-8 text, as <c>Fernet(key).decrypt(token, ttl).decode("utf-8")</c>
    /// does. The app itself decrypts with no TTL.
    /// </summary>
    /// <param name="token">The token, as the app stores it.</param>
    /// <param name="ttl">
    /// If given, the token must be no older than this and stamped no more than 60 s ahead of the clock (Python's rule,
    /// in whole seconds of the clock); if null, its timestamp is not looked at.
    /// </param>
    /// <returns>The text.</returns>
    /// <exception cref="FernetException">
    /// The token is not base64url, does not start with 0x80, has an impossible length, does not match the key (another
    /// key, or altered), is expired or from the future (with a TTL), or its text is not UTF-8.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ttl"/> is negative.</exception>
    public string Decrypt(string token, TimeSpan? ttl = null)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (ttl is { } t)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(t, TimeSpan.Zero, nameof(ttl));
        }

        var data = DecryptToBytes(token, ttl);
        try
        {
            return StrictUtf8.GetString(data);
        }
        catch (DecoderFallbackException)
        {
            throw FernetErrors.NotUtf8();
        }
    }

    /// <summary>A token of <paramref name="data"/> with the given timestamp and IV (the spec's generate vectors fix both).</summary>
    internal string EncryptAt(ReadOnlySpan<byte> data, ulong timestamp, ReadOnlySpan<byte> iv)
    {
        using var aes = Aes.Create();
        aes.SetKey(_key.EncryptionKey);
        var ciphertextBytes = aes.GetCiphertextLengthCbc(data.Length, PaddingMode.PKCS7);

        var token = new byte[CiphertextOffset + ciphertextBytes + MacBytes];
        token[0] = Version;
        BinaryPrimitives.WriteUInt64BigEndian(token.AsSpan(1, TimestampBytes), timestamp);
        iv.CopyTo(token.AsSpan(1 + TimestampBytes, IvBytes));
        aes.EncryptCbc(data, iv, token.AsSpan(CiphertextOffset, ciphertextBytes), PaddingMode.PKCS7);

        var signed = CiphertextOffset + ciphertextBytes;
        HMACSHA256.HashData(_key.SigningKey, token.AsSpan(0, signed), token.AsSpan(signed, MacBytes));
        return FernetCodec.ToBase64UrlPadded(token);
    }

    /// <summary>The plaintext bytes of <paramref name="token"/>; every check of <see cref="Decrypt"/> but UTF-8.</summary>
    internal byte[] DecryptToBytes(string token, TimeSpan? ttl)
    {
        var data = FernetCodec.DecodeBase64UrlPadded(token) ?? throw FernetErrors.NotBase64Url();
        if (data.Length > 0 && data[0] != Version)
        {
            throw FernetErrors.WrongVersion(data[0]);
        }

        // Python finds these lengths out later (a wrong HMAC, or a failed unpadding); same verdict, clearer message.
        if (data.Length < MinTokenBytes || (data.Length - CiphertextOffset - MacBytes) % BlockBytes != 0)
        {
            throw FernetErrors.WrongLength(data.Length);
        }

        var signed = data.Length - MacBytes;
        Span<byte> mac = stackalloc byte[MacBytes];
        HMACSHA256.HashData(_key.SigningKey, data.AsSpan(0, signed), mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, data.AsSpan(signed)))
        {
            throw FernetErrors.WrongMac();
        }

        // The spec and Python check the TTL before the HMAC; both orders refuse the same tokens, and checking the HMAC
        // first means "expired" is only ever said of a token this key made.
        if (ttl is { } t)
        {
            CheckAge(BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(1, TimestampBytes)), t);
        }

        using var aes = Aes.Create();
        aes.SetKey(_key.EncryptionKey);
        try
        {
            return aes.DecryptCbc(
                data.AsSpan(CiphertextOffset, signed - CiphertextOffset),
                data.AsSpan(1 + TimestampBytes, IvBytes),
                PaddingMode.PKCS7);
        }
        catch (CryptographicException)
        {
            throw FernetErrors.BadPadding();
        }
    }

    private void CheckAge(ulong timestamp, TimeSpan ttl)
    {
        // Python's comparisons on whole seconds of the clock (int(time.time())), in Int128 so that a 64-bit timestamp
        // plus the TTL cannot overflow: expired when timestamp + ttl < now, from the future when now + 60 < timestamp.
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        if ((Int128)timestamp * TimeSpan.TicksPerSecond + ttl.Ticks < (Int128)now * TimeSpan.TicksPerSecond)
        {
            throw FernetErrors.Expired(timestamp, ttl, now);
        }

        if ((Int128)now + MaxClockSkewSeconds < timestamp)
        {
            throw FernetErrors.FromTheFuture(timestamp, now, MaxClockSkewSeconds);
        }
    }
}
