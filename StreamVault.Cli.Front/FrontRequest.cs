namespace StreamVault.Cli.Front;

/// <summary>
/// A command line the front answers itself: <c>migrate</c> without a target, or <c>status</c>, with only the options
/// below, each given once as <c>--option value</c>. Anything else (a target, --verbose, --help, --option=value, a
/// response file, an unknown token) is null: the full CLI parses it, so every error message stays its own.
/// </summary>
internal sealed record FrontRequest(string Command, string? Connection, string? ConnectionFile, bool Json, bool FailOnPending)
{
    public const string Migrate = "migrate";

    public const string Status = "status";

    public static FrontRequest? Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] is not (Migrate or Status))
        {
            return null;
        }

        var request = new FrontRequest(args[0], null, null, false, false);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Count; i++)
        {
            var option = args[i];
            // The full CLI knows -c and --connection as one option: seen once under one name.
            var name = option == "-c" ? "--connection" : option;
            if (!seen.Add(name))
            {
                return null;
            }

            switch (name)
            {
                case "--connection" or "--connection-file":
                    if (i + 1 >= args.Count || args[i + 1].StartsWith('-') || args[i + 1].StartsWith('@'))
                    {
                        return null;
                    }

                    request = name == "--connection" ? request with { Connection = args[++i] } : request with { ConnectionFile = args[++i] };
                    break;
                case "--json" when request.Command == Status:
                    request = request with { Json = true };
                    break;
                case "--fail-on-pending" when request.Command == Status:
                    request = request with { FailOnPending = true };
                    break;
                default:
                    return null;
            }
        }

        return request;
    }
}
