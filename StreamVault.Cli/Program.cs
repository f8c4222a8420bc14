using StreamVault.Cli;

// Reports use a few symbols (✅ ❌ ⚠️) as the Python tool did; without this a C locale would print '?'.
Console.OutputEncoding = System.Text.Encoding.UTF8;

return await CliApp.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable);
