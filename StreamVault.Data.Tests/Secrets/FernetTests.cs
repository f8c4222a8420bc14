using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace StreamVault.Data.Tests.Secrets;

/// <summary>
/// Fernet as the app uses it: the spec's official vectors, tokens Python's cryptography made, tokens we made checked
/// by an independent computation, and one exact message for each way a key or token fails. No database.
/// </summary>
public sealed class FernetTests
{
    // ---- The spec's vectors: github.com/fernet/spec at 20dead475f53f11d20592baf29ad697163afc0cd, copied as data. ----

    private const string SpecSecret = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
    private const string SpecToken = "gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==";

    [Fact]
    public void Spec_generate_vector_gives_the_same_token()
    {
        // generate.json: now 1985-10-26T01:20:00-07:00, iv 0..15, src "hello".
        var fernet = new Fernet(FernetKey.Parse(SpecSecret), At("1985-10-26T01:20:00-07:00"));

        var token = fernet.EncryptAt("hello"u8, (ulong)At("1985-10-26T01:20:00-07:00").GetUtcNow().ToUnixTimeSeconds(),
            [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);

        Assert.Equal(SpecToken, token);
    }

    [Fact]
    public void Spec_verify_vector_decrypts_with_its_ttl()
    {
        // verify.json: now 1985-10-26T01:20:01-07:00, ttl_sec 60.
        var fernet = new Fernet(FernetKey.Parse(SpecSecret), At("1985-10-26T01:20:01-07:00"));

        Assert.Equal("hello", fernet.Decrypt(SpecToken, TimeSpan.FromSeconds(60)));
    }

    // invalid.json, every vector (desc, token, now; ttl_sec is 60 and the secret SpecSecret in all of them), with the
    // message each gets here. Python raises InvalidToken for all; the vectors whose HMAC is valid reach the later
    // checks, which is why "payload padding error" and "incorrect IV" are padding errors, not HMAC errors.
    public static TheoryData<string, string, string, string> SpecInvalidVectors => new()
    {
        {
            "incorrect mac",
            "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAl1-szkFVzXTuGb4hR8AKtwcaX1YdykQUFBQUFBQUFBQQ==",
            "1985-10-26T01:20:01-07:00", WrongMac
        },
        {
            "too short",
            "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPA==",
            "1985-10-26T01:20:01-07:00", "The Fernet token is truncated or damaged: it is 40 bytes long, and a token is 57 bytes plus one or more 16-byte blocks."
        },
        {
            "invalid base64",
            "%%%%%%%%%%%%%AECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAl1-szkFVzXTuGb4hR8AKtwcaX1YdykRtfsH-p1YsUD2Q==",
            "1985-10-26T01:20:01-07:00", NotBase64Url
        },
        {
            "payload size not multiple of block size",
            "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPOm73QeoCk9uGib28Xe5vz6oxq5nmxbx_v7mrfyudzUm",
            "1985-10-26T01:20:01-07:00", "The Fernet token is truncated or damaged: it is 72 bytes long, and a token is 57 bytes plus one or more 16-byte blocks."
        },
        {
            "payload padding error",
            "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0ODz4LEpdELGQAad7aNEHbf-JkLPIpuiYRLQ3RtXatOYREu2FWke6CnJNYIbkuKNqOhw==",
            "1985-10-26T01:20:01-07:00", BadPadding
        },
        {
            "far-future TS (unacceptable clock skew)",
            "gAAAAAAdwStRAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAnja1xKYyhd-Y6mSkTOyTGJmw2Xc2a6kBd-iX9b_qXQcw==",
            "1985-10-26T01:20:01-07:00",
            "The Fernet token was made in the future: at 1985-10-26T18:20:01Z, 36000 s after now, more than the 60 s of clock skew allowed."
        },
        {
            "expired TTL",
            "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAl1-szkFVzXTuGb4hR8AKtwcaX1YdykRtfsH-p1YsUD2Q==",
            "1985-10-26T01:21:31-07:00",
            "The Fernet token has expired: it was made at 1985-10-26T08:20:01Z, is 90 s old, and the time to live allowed is 60 s."
        },
        {
            "incorrect IV (causes padding error)",
            "gAAAAAAdwJ6xBQECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAkLhFLHpGtDBRLRTZeUfWgHSv49TF2AUEZ1TIvcZjK1zQ==",
            "1985-10-26T01:20:01-07:00", BadPadding
        },
    };

    [Theory]
    [MemberData(nameof(SpecInvalidVectors))]
    public void Spec_invalid_vector_is_refused_with_its_message(string desc, string token, string now, string message)
    {
        var fernet = new Fernet(FernetKey.Parse(SpecSecret), At(now));

        var e = Assert.Throws<FernetException>(() => fernet.Decrypt(token, TimeSpan.FromSeconds(60)));

        Assert.True(message == e.Message, $"{desc}: {e.Message}");
    }

    // ---- Tokens the app made. ----

    // Made on this machine with Debian's python3-cryptography 38.0.4 (the app pins cryptography 49.0.0; Fernet is the
    // same there) the way the app makes them: key = Fernet.generate_key().decode("utf-8") (how the app fills
    // global_settings.proxy_encryption_key), token = Fernet(key.encode()).encrypt(text.encode("utf-8")).decode("utf-8")
    // (its ProxyEncryption.encrypt). Two keys; texts shaped like its three columns' values, plus a full padding block,
    // non-ASCII text and empty text.
    private const string PythonKey1 = "mZlDhOqE5mTm5kAaupTwnVtxKmKe_f0-fpCh6aBvF_c=";
    private const string PythonKey2 = "Fx4cV4is65lQ3BdyhTcjTd8YwAqJas_xbboCFzGvXgA=";

    public static TheoryData<string, string, string> TokensPythonMade => new()
    {
        {
            PythonKey1,
            "gAAAAABrFppQq85N6GwWPmZWUiBoH-Enw9nP-2fSI5yHitKuj5meW7EdZgOJLOorh9UwtTWWDoOFBb_nVpuODjyEoHyM-92TuMWrrz6VYJuuWHBfm4djTQtalCcPaIqEyP2pk8KapNQHXtlhMn95WVAs7Ul4xh4Exg==",
            "http://streamvault:s3cr%40t@proxy.example.net:8080"
        },
        {
            PythonKey1,
            "gAAAAABrFppQilcIXxcKHPX2QMIz4AX_tJEc-uzCTcxoTC7lBboCz-VvkJKHy_OJOr4SfPTgqoTg6e5_uUuN3-tuDDf0u78oKc1Xnxbc1rr549ZeciQODvH-Z3T1ulBlOAYPMFEGq0TB",
            "https://user:pa:ss@10.0.0.5:3128/path?x=1"
        },
        {
            PythonKey1,
            "gAAAAABrFppQ1UlWLJPJBTrRg6ymTuqTNgLixYp4qeOPMVoM0a6CP42fLIAUGhY0HZ4K5aOS12l5u0PpBME8_EAQkWmhZgjA82H4flPs9v06LPoGSuseGe0=",
            "0123456789abcdefghijklmnopqrst"
        },
        {
            PythonKey1,
            "gAAAAABrFppQSCFbwtncn7WFjrsQ-9T1Cb-3Ow3ACFSvy7PHti6JHtb9IROeC_CL0Wq7PU4Ow0u-mJLjPM2P7uf4QjwIrHCWvtw7AAqlIjf-v67Afk8qebeeKGzTFViSKOxH7Lt2MOiGn2G55Mh3H8QkZG-v3NtQpg==",
            "eyJhbGciOiJIUzI1NiJ9.refresh-token-with-50-chars-xx"
        },
        {
            PythonKey2,
            "gAAAAABrFppQH1dfOMIOEXKEQUy49N4re6Fsqk3XKTFQ1-7S22Oj_Lc950oEWB15dq3Qe8ma_k8oh6ksWs-qKBneFEl4VcjhbP7nDEUhNMLZ9mP5LZ6KUEM=",
            "exactly16bytes!!"
        },
        {
            PythonKey2,
            "gAAAAABrFppQvFJ0fV59TXoWKGKnv-oq9KW6yKt-xAVolgJCjNXZkl_jgFpUkNh7fRobD-xRHqD25F-BHhcAYpzMK8eEWfm6qQHkc4BTgxm9lTyt_biu3Yk=",
            "Grüße, пароль ✓ 🎮"
        },
        {
            PythonKey2,
            "gAAAAABrFppQe48e5Kow-aILX4KNepXxh6M3WN-6jTLjSv8q8lFX57ljnpM7I0ni9P0W-xk7l67NIt1S6VC3Z1i3glChv1l6uA==",
            ""
        },
    };

    [Theory]
    [MemberData(nameof(TokensPythonMade))]
    public void Tokens_python_made_decrypt_to_their_text(string key, string token, string text)
    {
        var fernet = new Fernet(FernetKey.Parse(key));

        Assert.Equal(text, fernet.Decrypt(token));
        Assert.Equal(text, AppSecretColumns.Decrypt(fernet, token));
    }

    [Theory]
    [MemberData(nameof(TokensPythonMade))]
    public void Tokens_python_made_do_not_decrypt_with_the_other_key(string key, string token, string text)
    {
        _ = text;
        var other = new Fernet(FernetKey.Parse(key == PythonKey1 ? PythonKey2 : PythonKey1));

        var e = Assert.Throws<FernetException>(() => other.Decrypt(token));

        Assert.Equal(WrongMac, e.Message);
    }

    // Python's TTL rule, on a token Python made with encrypt_at_time(b"ttl", 1767225600) (2026-01-01T00:00:00Z) under
    // PythonKey1. decrypt_at_time(token, 60, now) on this machine: 1767225660 and 1767225540 give b"ttl",
    // 1767225661 and 1767225539 raise InvalidToken; the same four instants here.
    private const string PythonTokenAt20260101 =
        "gAAAAABpVbkAOKHPesfNZkXVGGoINsqay82nYbxrOVw35RErJTHIH-WgBxUXOJyAOqjM5W4ECzuCtYVpdW5FA_YHlWik79CFhQ==";

    [Fact]
    public void Ttl_and_clock_skew_are_python_s()
    {
        Fernet FernetAt(long unixSeconds) =>
            new(FernetKey.Parse(PythonKey1), new FixedClock(DateTimeOffset.FromUnixTimeSeconds(unixSeconds).AddMilliseconds(999)));
        var ttl = TimeSpan.FromSeconds(60);

        Assert.Equal("ttl", FernetAt(1767225660).Decrypt(PythonTokenAt20260101, ttl));
        Assert.Equal("ttl", FernetAt(1767225540).Decrypt(PythonTokenAt20260101, ttl));
        Assert.Equal(
            "The Fernet token has expired: it was made at 2026-01-01T00:00:00Z, is 61 s old, and the time to live allowed is 60 s.",
            Assert.Throws<FernetException>(() => FernetAt(1767225661).Decrypt(PythonTokenAt20260101, ttl)).Message);
        Assert.Equal(
            "The Fernet token was made in the future: at 2026-01-01T00:00:00Z, 61 s after now, more than the 60 s of clock skew allowed.",
            Assert.Throws<FernetException>(() => FernetAt(1767225539).Decrypt(PythonTokenAt20260101, ttl)).Message);

        // Without a TTL (as the app decrypts) the timestamp is not looked at, however old or new.
        Assert.Equal("ttl", FernetAt(4102444800).Decrypt(PythonTokenAt20260101));
        Assert.Equal("ttl", FernetAt(0).Decrypt(PythonTokenAt20260101));
    }

    // ---- Tokens we make. ----

    // Made by this library (FernetKey.Generate, then Fernet.Encrypt) while it was written, and decrypted on this
    // machine by Debian's python3-cryptography 38.0.4 the way the app decrypts:
    // Fernet(key.encode()).decrypt(token.encode("utf-8")).decode("utf-8"), no TTL; each gave its text. The test checks
    // them again without our Decrypt, by recomputing the HMAC and decrypting with HMACSHA256 and Aes directly.
    private const string DotNetKey = "CwNTNSTI_OCPm0WSy9HSn7YATCNM92iqg63mibhDbJM=";

    public static TheoryData<string, string> TokensWeMade => new()
    {
        {
            "gAAAAABrFpr2ztJ91CzhWMPbZU4pMrnSj1tjZ1799oWZ7a0vp6EJK_YSlN9AVpguCd2rMKN79jQe-m8LmYWuDEyGh0nsCOFDGuUrLf5EdR7kJfoSVV-_2fV4WJfk5cw6q8Dh3rtETu-0y0GMMZcnsx_SZ3IMOC3fEw==",
            "http://streamvault:s3cr%40t@proxy.example.net:8080"
        },
        {
            "gAAAAABrFpr2UkLnJFPCFz2YrwcCoyppAtN10W5Qt8MHsKoWX5v8yKhO_obsE1VITbSbTBc06us_92OU6V4ZdTIJPSjNESLzFeN1lzKdI6CW1ImQr6A_vjk=",
            "0123456789abcdefghijklmnopqrst"
        },
        {
            "gAAAAABrFpr2we_b1HsctW3l9PvpP8ZXzA3dL9Kx8A8uMsphP-eVXTb2rAqOiLN1Cl48k-hkM9u4Q8zQBWrhhV9ks-9lmq3ZCuBiAZOhh9xvTcGfZqV1dtI=",
            "Grüße, пароль ✓ 🎮"
        },
        {
            "gAAAAABrFpr2vyINRHaUiDUjfmyefbXVDKGWVGgxa2286mdeFyXMA-gmo6F_a-AIeQr9IDFZFbScydUj7Bdoam6y7KvRDy5NQMVMplcDQHESoj-1eAyHXVw=",
            "exactly16bytes!!"
        },
        {
            "gAAAAABrFpr2hmydQQjyxleLpiGFQxvmY03JhjuhWZncWcJ1jDucRetMRDrgaZf3xYRo0aLUm7j3t3BmhLc_OTJzzTWJIu2EoQ==",
            ""
        },
    };

    [Theory]
    [MemberData(nameof(TokensWeMade))]
    public void Tokens_we_made_verify_independently_and_decrypt(string token, string text)
    {
        Assert.Equal(text, IndependentDecrypt(DotNetKey, token));
        Assert.Equal(text, new Fernet(FernetKey.Parse(DotNetKey)).Decrypt(token));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("exactly16bytes!!")]
    [InlineData("http://user:pass@proxy.example.net:3128")]
    [InlineData("Grüße, пароль ✓ 🎮")]
    public void A_new_token_has_python_s_form_and_verifies_independently(string text)
    {
        var now = new DateTimeOffset(2026, 12, 7, 12, 0, 0, 500, TimeSpan.Zero);
        var key = FernetKey.Generate();
        var fernet = new Fernet(key, new FixedClock(now));

        var token = fernet.Encrypt(text);
        var again = fernet.Encrypt(text);

        Assert.Equal(text, IndependentDecrypt(key.ExportKeyText(), token));
        var data = FromBase64Url(token);
        Assert.Equal((ulong)now.ToUnixTimeSeconds(), BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(1, 8)));
        // Python's form: padded base64url, 57 bytes plus the PKCS7-padded text.
        Assert.Equal(57 + ((Encoding.UTF8.GetByteCount(text) / 16) + 1) * 16, data.Length);
        Assert.Matches("^[A-Za-z0-9_-]*={0,2}$", token);
        Assert.Equal(0, token.Length % 4);
        // A fresh IV each time.
        Assert.NotEqual(FromBase64Url(token)[9..25], FromBase64Url(again)[9..25]);
        Assert.Equal(text, fernet.Decrypt(token));
    }

    // ---- Keys. ----

    [Fact]
    public void A_key_round_trips_as_the_app_stores_it()
    {
        Assert.Equal(PythonKey1, FernetKey.Parse(PythonKey1).ExportKeyText());

        var generated = FernetKey.Generate().ExportKeyText();
        Assert.Equal(44, generated.Length);
        Assert.Matches("^[A-Za-z0-9_-]{43}=$", generated);
        Assert.Equal(generated, FernetKey.Parse(generated).ExportKeyText());
        Assert.NotEqual(generated, FernetKey.Generate().ExportKeyText());
        Assert.DoesNotContain(generated, FernetKey.Parse(generated).ToString(), StringComparison.Ordinal);
    }

    public static TheoryData<string> NotKeys => new()
    {
        "",
        "mZlDhOqE5mTm5kAaupTwnVtxKmKe_f0-fpCh6aBvF_c",        // padding left out
        "mZlDhOqE5mTm5kAaupTwnVtxKmKe/f0+fpCh6aBvF/c=",       // standard base64, not base64url
        " mZlDhOqE5mTm5kAaupTwnVtxKmKe_f0-fpCh6aBvF_c=",      // whitespace
        "mZlDhOqE5mTm5kAaupTwnVtxKmKe_f0-fpCh6aBvF_c=\n",
        "mZlDhOqE5mTm5kAaupTwnVtxKmKe_f0-fpCh6aBvFw==",       // 31 bytes
        "mZlDhOqE5mTm5kAaupTwnVtxKmKe_f0-fpCh6aBvF_cA",       // 33 bytes
        "mZlDhOqE5mTm5kAaupTwnVtxKmKe_f0-fpCh6aBvF_c=mZlDhOqE5mTm5kAaupTwnVtxKmKe_f0-fpCh6aBvF_c=",
        "%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%=",
    };

    [Theory]
    [MemberData(nameof(NotKeys))]
    public void Text_that_is_not_a_key_is_refused_without_repeating_it(string text)
    {
        var e = Assert.Throws<FernetException>(() => FernetKey.Parse(text));

        Assert.Equal(
            "The Fernet key is not valid: a key is 44 characters of base64url (32 bytes, ending in one '='), as Fernet.generate_key() writes it.",
            e.Message);
    }

    // ---- Tampering, truncation, bad text: one exception, one message each. ----

    private const string TamperKey = PythonKey1;
    private const string TamperToken =
        "gAAAAABrFppQ1UlWLJPJBTrRg6ymTuqTNgLixYp4qeOPMVoM0a6CP42fLIAUGhY0HZ4K5aOS12l5u0PpBME8_EAQkWmhZgjA82H4flPs9v06LPoGSuseGe0=";

    // One bit flipped in each part of the token: timestamp (bytes 1-8), IV (9-24), ciphertext (25 to 32 before the
    // end), HMAC (the last 32). The version byte has its own test, as it has its own message.
    [Theory]
    [InlineData(1, 0x01)]
    [InlineData(8, 0x80)]
    [InlineData(9, 0x01)]
    [InlineData(24, 0x40)]
    [InlineData(25, 0x01)]
    [InlineData(56, 0x10)]
    [InlineData(57, 0x01)]
    [InlineData(88, 0x80)]
    public void A_flipped_bit_anywhere_after_the_version_is_a_wrong_mac(int index, int bit)
    {
        var data = FromBase64Url(TamperToken);
        Assert.Equal(89, data.Length);
        data[index] ^= (byte)bit;

        var e = Assert.Throws<FernetException>(() => new Fernet(FernetKey.Parse(TamperKey)).Decrypt(ToBase64Url(data)));

        Assert.Equal(WrongMac, e.Message);
    }

    [Fact]
    public void A_flipped_bit_in_the_version_byte_is_not_a_token()
    {
        var data = FromBase64Url(TamperToken);
        data[0] ^= 0x01;

        var e = Assert.Throws<FernetException>(() => new Fernet(FernetKey.Parse(TamperKey)).Decrypt(ToBase64Url(data)));

        Assert.Equal("The value is not a Fernet token: its first byte is 0x81, and Fernet tokens start with 0x80.", e.Message);
    }

    public static TheoryData<string, string, string> DamagedTokens => new()
    {
        // Truncated by whole base64 groups: still base64url, but of a length no token has.
        { "4 characters cut", TamperToken[..^4], "The Fernet token is truncated or damaged: it is 87 bytes long, and a token is 57 bytes plus one or more 16-byte blocks." },
        { "24 characters cut", TamperToken[..^24], "The Fernet token is truncated or damaged: it is 72 bytes long, and a token is 57 bytes plus one or more 16-byte blocks." },
        { "4 characters left", TamperToken[..4], "The Fernet token is truncated or damaged: it is 3 bytes long, and a token is 57 bytes plus one or more 16-byte blocks." },
        { "empty", "", "The Fernet token is truncated or damaged: it is 0 bytes long, and a token is 57 bytes plus one or more 16-byte blocks." },
        // Truncated by one character, and other text that is not padded base64url.
        { "1 character cut", TamperToken[..^1], NotBase64Url },
        { "padding left out", TamperToken.TrimEnd('='), NotBase64Url },
        { "standard base64", TamperToken.Replace('-', '+').Replace('_', '/'), NotBase64Url },
        { "trailing newline", TamperToken + "\n", NotBase64Url },
        { "a space inside", TamperToken[..40] + " " + TamperToken[41..], NotBase64Url },
        { "padding after padding", TamperToken + "====", NotBase64Url },
        // A value stored unencrypted is not read as plaintext (the app has no such fallback either).
        { "plaintext proxy URL", "http://user:pass@proxy.example.net:3128", NotBase64Url },
        { "base64url but no token", "abcd", "The value is not a Fernet token: its first byte is 0x69, and Fernet tokens start with 0x80." },
    };

    [Theory]
    [MemberData(nameof(DamagedTokens))]
    public void A_damaged_token_is_refused_with_its_message(string damage, string token, string message)
    {
        var e = Assert.Throws<FernetException>(() => new Fernet(FernetKey.Parse(TamperKey)).Decrypt(token));

        Assert.True(message == e.Message, $"{damage}: {e.Message}");
    }

    // Tokens with a valid HMAC whose padding is wrong, built here with Aes (no padding) and HMACSHA256 directly: the
    // unpadding checks every padding byte, not only the last.
    [Theory]
    [InlineData(new byte[] { 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x00 })]
    [InlineData(new byte[] { 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x11 })]
    [InlineData(new byte[] { 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x03, 0x02 })]
    [InlineData(new byte[] { 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x04, 0x04, 0x05, 0x04 })]
    public void An_authentic_token_with_bad_padding_is_refused(byte[] paddedBlock)
    {
        var token = BuildToken(TamperKey, paddedBlock);

        var e = Assert.Throws<FernetException>(() => new Fernet(FernetKey.Parse(TamperKey)).Decrypt(token));

        Assert.Equal(BadPadding, e.Message);
    }

    [Fact]
    public void An_authentic_token_whose_bytes_are_not_utf8_is_refused()
    {
        // "\xc3\x28" (an invalid UTF-8 sequence) and PKCS7 padding of 14.
        byte[] block = [0xc3, 0x28, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14];
        var token = BuildToken(TamperKey, block);
        var fernet = new Fernet(FernetKey.Parse(TamperKey));

        Assert.Equal(new byte[] { 0xc3, 0x28 }, fernet.DecryptToBytes(token, ttl: null));
        Assert.Equal(
            "The Fernet token decrypts to bytes that are not UTF-8 text.",
            Assert.Throws<FernetException>(() => fernet.Decrypt(token)).Message);
    }

    [Theory]
    [MemberData(nameof(TokensPythonMade))]
    public void No_message_holds_the_key_or_the_token(string key, string token, string text)
    {
        _ = text;
        var wrongKey = key == PythonKey1 ? PythonKey2 : PythonKey1;
        var messages = new[]
        {
            Assert.Throws<FernetException>(() => new Fernet(FernetKey.Parse(wrongKey)).Decrypt(token)).Message,
            Assert.Throws<FernetException>(() => FernetKey.Parse(key[..^1])).Message,
            Assert.Throws<FernetException>(() => new Fernet(FernetKey.Parse(key)).Decrypt(token[..^4])).Message,
        };

        Assert.All(messages, m =>
        {
            Assert.DoesNotContain(key[..20], m, StringComparison.Ordinal);
            Assert.DoesNotContain(wrongKey[..20], m, StringComparison.Ordinal);
            Assert.DoesNotContain(token[..20], m, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Text_with_a_lone_surrogate_cannot_be_encrypted()
    {
        var fernet = new Fernet(FernetKey.Generate());

        Assert.Throws<ArgumentException>(() => fernet.Encrypt("token\ud800"));
    }

    [Fact]
    public void A_negative_ttl_is_a_caller_error()
    {
        var fernet = new Fernet(FernetKey.Parse(TamperKey));

        Assert.Throws<ArgumentOutOfRangeException>(() => fernet.Decrypt(TamperToken, TimeSpan.FromSeconds(-1)));
    }

    // ---- The app's column rules. ----

    [Fact]
    public void Null_and_empty_column_values_are_stored_and_read_bare()
    {
        var fernet = new Fernet(FernetKey.Parse(TamperKey));

        Assert.Null(AppSecretColumns.Encrypt(fernet, null));
        Assert.Equal("", AppSecretColumns.Encrypt(fernet, ""));
        Assert.Null(AppSecretColumns.Decrypt(fernet, null));
        Assert.Equal("", AppSecretColumns.Decrypt(fernet, ""));

        var stored = AppSecretColumns.Encrypt(fernet, "oauth-token-1234");
        Assert.NotNull(stored);
        Assert.Equal("oauth-token-1234", IndependentDecrypt(TamperKey, stored));
        Assert.Equal("oauth-token-1234", AppSecretColumns.Decrypt(fernet, stored));
        Assert.Equal(NotBase64Url, Assert.Throws<FernetException>(() => AppSecretColumns.Decrypt(fernet, "http://proxy:3128")).Message);
    }

    [Theory]
    [InlineData("http://proxy.example.net:3128", true)]
    [InlineData("https://user:pass@proxy.example.net:3128", true)]
    [InlineData("HTTP://proxy.example.net:3128", false)]
    [InlineData("socks5://proxy.example.net:1080", false)]
    [InlineData(" http://proxy.example.net:3128", false)]
    [InlineData(TamperToken, false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Migration_026_encrypts_what_the_app_s_026_encrypts(string? proxyUrl, bool encrypts) =>
        Assert.Equal(encrypts, AppSecretColumns.Migration026WouldEncrypt(proxyUrl));

    [Fact]
    public void Migration_026_counts_length_in_code_points_as_python_does()
    {
        Assert.True(AppSecretColumns.Migration026WouldEncrypt("http://" + new string('a', 192)));   // 199
        Assert.False(AppSecretColumns.Migration026WouldEncrypt("http://" + new string('a', 193)));  // 200
        // 7 + 192 code points, 7 + 384 UTF-16 units: Python's len() is 199.
        Assert.True(AppSecretColumns.Migration026WouldEncrypt("http://" + string.Concat(Enumerable.Repeat("🎮", 192))));
    }

    // ---- Helpers: an independent Fernet reader and writer, over HMACSHA256 and Aes only. ----

    private const string WrongMac =
        "The Fernet token does not match the key: its HMAC is wrong, so it was made with another key or altered since.";

    private const string NotBase64Url =
        "The value is not a Fernet token: it is not base64url text (A-Z, a-z, 0-9, '-' and '_', padded with '=' to a multiple of 4 characters).";

    private const string BadPadding =
        "The Fernet token's HMAC matches the key but its ciphertext does not decrypt: it was made with the same signing key and another encryption key, or by a faulty Fernet implementation.";

    /// <summary>The spec's verification steps, written out: version, HMAC over everything before it, AES-128-CBC, PKCS7.</summary>
    private static string IndependentDecrypt(string keyText, string token)
    {
        var key = FromBase64Url(keyText);
        var data = FromBase64Url(token);
        Assert.Equal(0x80, data[0]);

        using var hmac = new HMACSHA256(key[..16]);
        Assert.Equal(data[^32..], hmac.ComputeHash(data, 0, data.Length - 32));

        using var aes = Aes.Create();
        aes.Key = key[16..];
        return new UTF8Encoding(false, true).GetString(aes.DecryptCbc(data[25..^32], data[9..25], PaddingMode.PKCS7));
    }

    /// <summary>A token of one already padded block, with a valid HMAC, whatever the padding says.</summary>
    private static string BuildToken(string keyText, byte[] paddedBlock)
    {
        var key = FromBase64Url(keyText);
        var iv = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        using var aes = Aes.Create();
        aes.Key = key[16..];
        var head = new byte[] { 0x80, 0, 0, 0, 0, 0x69, 0x55, 0xb9, 0x00 }.Concat(iv).Concat(aes.EncryptCbc(paddedBlock, iv, PaddingMode.None)).ToArray();
        using var hmac = new HMACSHA256(key[..16]);
        return ToBase64Url([.. head, .. hmac.ComputeHash(head)]);
    }

    private static byte[] FromBase64Url(string text) => Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/'));

    private static string ToBase64Url(byte[] data) => Convert.ToBase64String(data).Replace('+', '-').Replace('/', '_');

    private static FixedClock At(string instant) => new(DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture));

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
    }
}
