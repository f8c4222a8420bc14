using Microsoft.Extensions.Logging;
using Npgsql;
using StreamVault.Data.Ledger;

namespace StreamVault.Data.Engine;

/// <summary>
/// Logs the notices the ledger's reconcile statement raises (what it fixed) while a migration step runs on
/// the connection; every other notice is left to Npgsql.
/// </summary>
internal sealed class NoticeLogger : IDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly ILogger _logger;

    public NoticeLogger(NpgsqlConnection connection, ILogger logger)
    {
        _connection = connection;
        _logger = logger;
        _connection.Notice += OnNotice;
    }

    public void Dispose() => _connection.Notice -= OnNotice;

    private void OnNotice(object sender, NpgsqlNoticeEventArgs e)
    {
        if (e.Notice.MessageText.StartsWith(LedgerSql.ReconcileNoticePrefix, StringComparison.Ordinal))
        {
            LedgerLog.Reconciled(_logger, e.Notice.MessageText);
        }
    }
}
