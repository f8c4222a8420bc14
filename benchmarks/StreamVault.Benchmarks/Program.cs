using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.EntityFrameworkCore;
using StreamVault.Benchmarks;

Settings? settings;
try
{
    settings = Settings.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    await Console.Error.WriteLineAsync(e.Message + Environment.NewLine + Settings.Usage);
    return 2;
}

if (settings is null)
{
    await Console.Error.WriteLineAsync("no connection: pass --connection or set STREAMVAULT_BENCH_CONNECTION" + Environment.NewLine + Settings.Usage);
    return 2;
}

// Eight runners start at once; the pool must not ration threads and stagger them (its injection is slow on two cores).
ThreadPool.SetMinThreads(Math.Max(16, settings.Runners * 2), 16);

await using var server = new BenchServer(settings.Connection);
var benchmarks = new Benchmarks(server, settings);
var steps = new (int Number, string Name, Func<Task<IEnumerable<Row>>> Run)[]
{
    (1, "warm no-op migrate", benchmarks.WarmNoOpAsync),
    (2, "empty → all", benchmarks.EmptyToAllAsync),
    (3, "June 2025 → adopted", benchmarks.AdoptJune2025Async),
    (4, "stream indices under inserts", benchmarks.IndicesUnderLoadAsync),
    (5, "concurrent runners", benchmarks.ConcurrentRunnersAsync),
    (6, "app writes during adoption", benchmarks.AppDuringAdoptionAsync),
};

var rows = new List<Row>();
foreach (var step in steps.Where(s => settings.Only.Contains(s.Number)))
{
    Console.Error.WriteLine($"benchmark {step.Number.ToString(CultureInfo.InvariantCulture)}: {step.Name}");
    rows.AddRange(await step.Run());
}

var report = new StringBuilder();
report.AppendLine("## StreamVault.Data migration benchmarks (issue #4)");
report.AppendLine();
report.AppendLine(CultureInfo.InvariantCulture, $"- date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
report.AppendLine(CultureInfo.InvariantCulture, $"- machine: {Environment.ProcessorCount} CPUs (nproc), {Machine.MemoryGiB()} RAM, {Machine.CpuModel()}, {RuntimeInformation.OSDescription}");
report.AppendLine(CultureInfo.InvariantCulture, $"- PostgreSQL {await server.ShowAsync("server_version")}: fsync={await server.ShowAsync("fsync")}, synchronous_commit={await server.ShowAsync("synchronous_commit")}, full_page_writes={await server.ShowAsync("full_page_writes")}, shared_buffers={await server.ShowAsync("shared_buffers")}, maintenance_work_mem={await server.ShowAsync("maintenance_work_mem")}");
report.AppendLine(CultureInfo.InvariantCulture, $"- .NET {Environment.Version}, EF Core {Machine.InformationalVersion(typeof(DbContext))}, Npgsql EF provider {Machine.InformationalVersion(typeof(NpgsqlDbContextOptionsBuilderExtensions))}");
report.AppendLine(CultureInfo.InvariantCulture, $"- parameters: N={settings.Iterations}, repeats={settings.Repeats} (benchmarks 2–5: median (min–max)), runners={settings.Runners}");
report.AppendLine("- ours = `StreamVaultDatabase.Configure`; plain = `UseNpgsql(cs).UseSnakeCaseNamingConvention()`, same migrations assembly");
report.AppendLine();
report.AppendLine("| benchmark | metric | ours | plain EF Core 10 | target (ours) | met |");
report.AppendLine("| --- | --- | --- | --- | --- | --- |");
foreach (var row in rows)
{
    var met = row.Met switch { true => "yes", false => "**no**", null => "" };
    report.AppendLine(CultureInfo.InvariantCulture, $"| {row.Benchmark} | {row.Metric} | {row.Ours} | {row.Plain} | {row.Target} | {met} |");
}

Console.Write(report.ToString());
return 0;
