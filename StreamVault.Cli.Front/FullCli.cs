using System.Runtime.InteropServices;

namespace StreamVault.Cli.Front;

/// <summary>
/// The full CLI (StreamVault.Cli, published as streamvault-db-full next to this front), which the front becomes
/// with execv: the same process id, arguments, environment and standard streams, so callers, signals and exit codes
/// see one process, and no password appears anywhere it did not already.
/// </summary>
internal static partial class FullCli
{
    public const string FileName = "streamvault-db-full";

    /// <summary>"Command not found" in the shells' convention: the front could not start the full CLI.</summary>
    public const int CannotStart = 127;

    /// <summary>Replaces this process by the full CLI with <paramref name="args"/>; returns only when that fails.</summary>
    public static int Exec(string[] args)
    {
        // Next to the real file of this executable, symbolic links resolved (AppContext.BaseDirectory does so).
        var path = Path.Combine(AppContext.BaseDirectory, FileName);
        string?[] argv = [path, .. args, null];
        execv(path, argv);
        var error = Marshal.GetLastPInvokeErrorMessage();
        Console.Error.WriteLine($"streamvault-db: cannot start the full CLI {path}: {error}; build.sh writes it next to streamvault-db, deploy both files");
        return CannotStart;
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int execv(string path, string?[] argv);
}
