using Microsoft.Extensions.Logging;
using StreamVault.Data.Engine;

namespace StreamVault.Data.Operations;

/// <summary>Settings shared by the operations (status, validate, repair, mark-applied).</summary>
internal sealed record OperationOptions
{
    /// <summary>Options of <see cref="ContextOptions.CreateContext"/> (migrations assembly, timeouts).</summary>
    public StreamVaultDataOptions? Data { get; init; }

    /// <summary>Where the expected shape comes from; <see cref="ExpectedShapeSource.Auto"/> unless a test or operator insists.</summary>
    public ExpectedShapeSource ShapeSource { get; init; } = ExpectedShapeSource.Auto;

    /// <summary>Receives shadow-database and repair events; null logs nothing.</summary>
    public ILogger? Logger { get; init; }
}

/// <summary>How validate, repair and mark-applied learn what the migrations produce.</summary>
internal enum ExpectedShapeSource
{
    /// <summary>A shadow database when the role may create one, else the embedded snapshot.</summary>
    Auto,

    /// <summary>Always a shadow database: <c>&lt;live&gt;_shadow_&lt;random&gt;</c> on the same server, migrated, read, dropped.</summary>
    Shadow,

    /// <summary>
    /// Always the snapshot embedded in StreamVault.Data (the shape after each migration), which a test keeps
    /// equal to a freshly migrated database. Only available for StreamVault.Data's own migrations.
    /// </summary>
    Snapshot,
}
