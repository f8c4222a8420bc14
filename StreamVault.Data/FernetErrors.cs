using System.Globalization;

namespace StreamVault.Data;

/// <summary>
/// The one message for each way a key or token fails. None holds the key, the token or any decrypted byte: the token
/// may sit in a log next to the message, and a caller may print the message to a user.
/// </summary>
internal static class FernetErrors
{
    internal static FernetException InvalidKey() => new(
        "The Fernet key is not valid: a key is 44 characters of base64url (32 bytes, ending in one '='), as Fernet.generate_key() writes it.");

    internal static FernetException NotBase64Url() => new(
        "The value is not a Fernet token: it is not base64url text (A-Z, a-z, 0-9, '-' and '_', padded with '=' to a multiple of 4 characters).");

    internal static FernetException WrongVersion(byte version) => new(string.Create(
        CultureInfo.InvariantCulture,
        $"The value is not a Fernet token: its first byte is 0x{version:x2}, and Fernet tokens start with 0x80."));

    internal static FernetException WrongLength(int length) => new(string.Create(
        CultureInfo.InvariantCulture,
        $"The Fernet token is truncated or damaged: it is {length} bytes long, and a token is 57 bytes plus one or more 16-byte blocks."));

    internal static FernetException WrongMac() => new(
        "The Fernet token does not match the key: its HMAC is wrong, so it was made with another key or altered since.");

    internal static FernetException BadPadding() => new(
        "The Fernet token's HMAC matches the key but its ciphertext does not decrypt: it was made with the same signing key and another encryption key, or by a faulty Fernet implementation.");

    internal static FernetException Expired(ulong timestamp, TimeSpan ttl, long now) => new(string.Create(
        CultureInfo.InvariantCulture,
        $"The Fernet token has expired: it was made at {UnixTime(timestamp)}, is {now - (Int128)timestamp} s old, and the time to live allowed is {ttl.TotalSeconds} s."));

    internal static FernetException FromTheFuture(ulong timestamp, long now, int maxClockSkewSeconds) => new(string.Create(
        CultureInfo.InvariantCulture,
        $"The Fernet token was made in the future: at {UnixTime(timestamp)}, {(Int128)timestamp - now} s after now, more than the {maxClockSkewSeconds} s of clock skew allowed."));

    internal static FernetException NotUtf8() => new(
        "The Fernet token decrypts to bytes that are not UTF-8 text.");

    // ISO 8601 in UTC where DateTimeOffset reaches, the raw count of seconds beyond (a timestamp is 64 bits).
    private static string UnixTime(ulong seconds) =>
        seconds <= (ulong)DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            ? DateTimeOffset.FromUnixTimeSeconds((long)seconds).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"Unix time {seconds}");
}
