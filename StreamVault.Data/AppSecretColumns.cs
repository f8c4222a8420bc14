namespace StreamVault.Data;

/// <summary>
/// The app's rules for its three Fernet columns, <c>global_settings.twitch_access_token</c>,
/// <c>global_settings.twitch_refresh_token</c> and <c>proxy_settings.proxy_url</c>, all under the one key in
/// <c>global_settings.proxy_encryption_key</c> (the app's <c>ProxyEncryption</c>, app/utils/proxy_encryption.py):
/// NULL and the empty string are stored bare and read back bare; every other value is a token, decrypted with no TTL.
/// </summary>
/// <remarks>
/// A stored value that is not a token is an error here, as in the app, not plaintext to pass through: the app never
/// reads a column value as plaintext (its <c>proxy_url</c> property logs the failure and gives an empty URL, its token
/// service gives up on the token). Only the app's migration 026 looked for plaintext, once, when it encrypted the
/// proxy URLs its migration 025 had copied from <c>global_settings.http_proxy</c>.
/// </remarks>
public static class AppSecretColumns
{
    /// <summary>
    /// The value to store for <paramref name="value"/>: null and "" as they are, anything else encrypted, as the app's
    /// <c>ProxyEncryption.encrypt</c> does. (<c>proxy_url</c> is NOT NULL; the app stores "" for no URL.)
    /// </summary>
    /// <param name="fernet">Fernet with the key from <c>global_settings.proxy_encryption_key</c>.</param>
    /// <param name="value">The plaintext: a Twitch token or a proxy URL.</param>
    /// <returns>The column value.</returns>
    public static string? Encrypt(Fernet fernet, string? value)
    {
        ArgumentNullException.ThrowIfNull(fernet);
        return string.IsNullOrEmpty(value) ? value : fernet.Encrypt(value);
    }

    /// <summary>
    /// The plaintext of a stored column value: null and "" as they are, anything else decrypted with no TTL, as the
    /// app's <c>ProxyEncryption.decrypt</c> does.
    /// </summary>
    /// <param name="fernet">Fernet with the key from <c>global_settings.proxy_encryption_key</c>.</param>
    /// <param name="storedValue">The column value.</param>
    /// <returns>The plaintext.</returns>
    /// <exception cref="FernetException">The value is neither empty nor a token this key made, unaltered.</exception>
    public static string? Decrypt(Fernet fernet, string? storedValue)
    {
        ArgumentNullException.ThrowIfNull(fernet);
        return string.IsNullOrEmpty(storedValue) ? storedValue : fernet.Decrypt(storedValue);
    }

    /// <summary>
    /// Whether the app's migration 026 (migrations/026_encrypt_proxy_credentials.py) encrypts this
    /// <c>proxy_settings.proxy_url</c>: non-empty, shorter than 200 characters and starting with <c>http://</c> or
    /// <c>https://</c> (case-sensitive). Other values it leaves as they are, plaintext or not. For a migration that
    /// does 026's work; the app reads no column this way.
    /// </summary>
    internal static bool Migration026WouldEncrypt(string? proxyUrl) =>
        !string.IsNullOrEmpty(proxyUrl)
        // Python's len() counts code points, not UTF-16 units.
        && proxyUrl.EnumerateRunes().Count() < 200
        && (proxyUrl.StartsWith("http://", StringComparison.Ordinal) || proxyUrl.StartsWith("https://", StringComparison.Ordinal));
}
