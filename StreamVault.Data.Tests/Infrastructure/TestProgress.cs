using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Xunit.Sdk;
using Xunit.v3;

[assembly: StreamVault.Data.Tests.Infrastructure.TestProgress]

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>
/// Progress lines in `dotnet test`'s output (as xunit diagnostic messages, which the runner prints as they come):
/// one when a test class starts, and a heartbeat every minute naming what still runs, so a run of many
/// minutes never looks hung.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class TestProgressAttribute : BeforeAfterTestAttribute
{
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMinutes(1);
    private static readonly Stopwatch Clock = Stopwatch.StartNew();
    private static readonly ConcurrentDictionary<string, byte> StartedClasses = new();
    private static readonly ConcurrentDictionary<string, DateTime> Running = new();
    private static IMessageSink? sink;
    private static Timer? heartbeat;
    private static int finished;

    /// <summary>Where the messages go: the assembly fixture hands over xunit's diagnostic sink when the run starts.</summary>
    internal static void Start(IMessageSink diagnostics)
    {
        sink = diagnostics;
        heartbeat ??= new Timer(_ => Heartbeat(), null, HeartbeatInterval, HeartbeatInterval);
    }

    /// <summary>A line of the run's own (which server it uses), in the same place as the progress lines.</summary>
    internal static void Note(string message) => Send(message);

    internal static void Stop()
    {
        heartbeat?.Dispose();
        heartbeat = null;
    }

    /// <inheritdoc />
    public override void Before(MethodInfo methodUnderTest, IXunitTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        var testClass = test.TestCase.TestClassName ?? "?";
        Running[ShortName(test)] = DateTime.UtcNow;
        if (StartedClasses.TryAdd(testClass, 0))
        {
            Send($"{testClass[(testClass.LastIndexOf('.') + 1)..]} started");
        }
    }

    /// <inheritdoc />
    public override void After(MethodInfo methodUnderTest, IXunitTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        Running.TryRemove(ShortName(test), out _);
        Interlocked.Increment(ref finished);
    }

    private static void Heartbeat()
    {
        var now = DateTime.UtcNow;
        var running = Running.OrderBy(r => r.Value).Select(r => string.Create(CultureInfo.InvariantCulture,
            $"{r.Key} ({(now - r.Value).TotalSeconds:0} s)")).ToList();
        Send(running.Count == 0 ? "still running" : "still running: " + string.Join(", ", running));
    }

    /// <summary>The display name without its namespace and class (theory arguments may hold dots, so not "after the last dot").</summary>
    private static string ShortName(IXunitTest test)
        => test.TestCase.TestClassName is { } testClass && test.TestDisplayName.StartsWith(testClass + ".", StringComparison.Ordinal)
            ? test.TestDisplayName[(testClass.Length + 1)..]
            : test.TestDisplayName;

    private static void Send(string message)
        => sink?.OnMessage(new DiagnosticMessage(string.Create(CultureInfo.InvariantCulture,
            $"[{Clock.Elapsed:mm\\:ss}] {message} ({Volatile.Read(ref finished)} tests done)")));
}
