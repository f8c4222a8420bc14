using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using StreamVault.Data.Engine;

namespace StreamVault.Data.Operations;

/// <summary>
/// What the migrations produce, after chosen migrations. Preferably measured: a shadow database on the live
/// server is created, migrated step by step with the real engine, read and dropped, so the answer comes from
/// the same PostgreSQL version and the same code as migrate. A role without CREATEDB falls back to the
/// snapshot embedded in this assembly (<c>Operations/ExpectedShapes.json</c>), which the test
/// <c>Embedded_snapshot_equals_a_freshly_migrated_database</c> keeps identical to a migrated database.
/// </summary>
internal static class ExpectedShapes
{
    public const string SnapshotResource = "StreamVault.Data.Operations.ExpectedShapes.json";

    private const string InsufficientPrivilege = "42501";

    /// <summary>Shapes after each of <paramref name="targets"/> (migration ids in ascending order) and where they came from.</summary>
    public static async Task<(IReadOnlyList<SchemaShape> Shapes, ExpectedShapeSource Source)> ResolveAsync(
        OperationContext operation, IReadOnlyList<string> targets, CancellationToken cancellationToken)
    {
        var logger = operation.Options.Logger ?? NullLogger.Instance;
        if (operation.Options.ShapeSource == ExpectedShapeSource.Snapshot)
        {
            return (FromSnapshot(operation, targets), ExpectedShapeSource.Snapshot);
        }

        try
        {
            return (await FromShadowAsync(operation, targets, logger, cancellationToken), ExpectedShapeSource.Shadow);
        }
        catch (PostgresException denied) when (denied.SqlState == InsufficientPrivilege
                                               && operation.Options.ShapeSource == ExpectedShapeSource.Auto)
        {
            OperationsLog.SnapshotFallback(logger, denied.MessageText);
            return (FromSnapshot(operation, targets), ExpectedShapeSource.Snapshot);
        }
    }

    /// <summary>Migrates the (empty) database to each target in turn and reads the shape after each.</summary>
    public static async Task<IReadOnlyList<SchemaShape>> CaptureStepsAsync(
        string connectionString, StreamVaultDataOptions? options, IReadOnlyList<string> tables, IReadOnlyList<string> targets,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var shapes = new List<SchemaShape>(targets.Count);
        foreach (var target in targets)
        {
            await using (var context = ContextOptions.CreateContext(connectionString, options))
            {
                await context.Database.MigrateAsync(target, cancellationToken);
            }

            await using var connection = await StreamVaultConnections.DataSource(connectionString).OpenConnectionAsync(cancellationToken);
            shapes.Add(await SchemaReader.ReadAsync(connection, tables, cancellationToken));
        }

        return shapes;
    }

    /// <summary>The snapshot as JSON, exactly as the embedded file should read.</summary>
    public static string Serialize(ShapeSnapshot snapshot)
        => JsonSerializer.Serialize(snapshot, SnapshotOptions).ReplaceLineEndings("\n") + "\n";

    // Relaxed escaping keeps the committed file readable ('::regclass' rather than \u0027); it is never embedded in HTML.
    private static readonly JsonSerializerOptions SnapshotOptions = new(ShapeSnapshotJson.Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = ShapeSnapshotJson.Default,
    };

    public static string? ReadEmbeddedSnapshotText()
    {
        using var stream = typeof(ExpectedShapes).Assembly.GetManifestResourceStream(SnapshotResource);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static async Task<IReadOnlyList<SchemaShape>> FromShadowAsync(
        OperationContext operation, IReadOnlyList<string> targets, ILogger logger, CancellationToken cancellationToken)
    {
        // The database name keeps its owner recognisable; 63 is PostgreSQL's identifier limit.
        var prefix = operation.Database.Length > 40 ? operation.Database[..40] : operation.Database;
        var shadow = $"{prefix}_shadow_{RandomNumberGenerator.GetHexString(8, lowercase: true)}";
        var quoted = "\"" + shadow.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

        await using var live = await operation.OpenAsync(cancellationToken);
        await using (var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", live))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        OperationsLog.ShadowCreated(logger, shadow);
        try
        {
            // No pooling: nothing may stay connected to a database that is dropped a moment later.
            var shadowBuilder = StreamVaultConnections.Parse(operation.ConnectionString);
            shadowBuilder.Database = shadow;
            shadowBuilder.Pooling = false;
            var shadowConnection = shadowBuilder.ConnectionString;
            return await CaptureStepsAsync(shadowConnection, operation.Options.Data, operation.Tables, targets, cancellationToken);
        }
        finally
        {
            try
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)", live);
                await drop.ExecuteNonQueryAsync(CancellationToken.None);
                OperationsLog.ShadowDropped(logger, shadow);
            }
            catch (NpgsqlException failure)
            {
                OperationsLog.ShadowNotDropped(logger, shadow, failure.Message);
            }
        }
    }

    private static List<SchemaShape> FromSnapshot(OperationContext operation, IReadOnlyList<string> targets)
    {
        if (operation.Options.Data?.MigrationsAssembly is { } other)
        {
            throw new InvalidOperationException(
                $"The embedded schema snapshot describes StreamVault.Data's own migrations, not those of {other}; use a role that may create databases.");
        }

        var text = ReadEmbeddedSnapshotText()
                   ?? throw new InvalidOperationException($"StreamVault.Data has no embedded resource {SnapshotResource}.");
        var snapshot = JsonSerializer.Deserialize(text, ShapeSnapshotJson.Default.ShapeSnapshot)
                       ?? throw new InvalidOperationException("The embedded schema snapshot is empty.");
        var known = snapshot.Migrations.Select(m => m.MigrationId).ToList();
        if (!known.SequenceEqual(operation.Catalog.Select(e => e.MigrationId), StringComparer.Ordinal))
        {
            throw new InvalidOperationException(
                "The embedded schema snapshot does not list the assembly's migrations; it is out of date.");
        }

        return targets
            .Select(t => snapshot.Migrations.First(m => m.MigrationId == t).Shape)
            .ToList();
    }
}
