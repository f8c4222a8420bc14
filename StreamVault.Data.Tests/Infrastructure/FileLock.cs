namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>
/// An exclusive lock on a file, across processes: on Unix, .NET opens a file with FileShare.None under flock(2), the
/// same lock flock(1) takes, so a shell script and a test can take turns (see <see cref="RepositoryTools.ReleaseBuildLock"/>).
/// </summary>
internal sealed class FileLock : IDisposable
{
    private readonly FileStream stream;

    private FileLock(FileStream stream) => this.stream = stream;

    /// <summary>Waits for the lock, polling, up to <paramref name="timeout"/> (a build that holds it can take minutes).</summary>
    public static async Task<FileLock> AcquireAsync(string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }
    }

    public void Dispose() => stream.Dispose();
}
