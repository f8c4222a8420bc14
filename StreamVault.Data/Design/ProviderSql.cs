using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace StreamVault.Data.Design;

/// <summary>
/// The provider's own SQL for one operation, which the generator then guards: column definitions (type, serial or
/// identity, collation, default), whole tables, index and constraint clauses come out exactly as Npgsql would run
/// them, so the frozen text never drifts from what EF itself would have created.
/// </summary>
internal sealed class ProviderSql(IMigrationsSqlGenerator generator, SqlNames names)
{
    /// <summary><c>name type [NOT NULL] [DEFAULT …]</c>, as in <c>ALTER TABLE … ADD</c>.</summary>
    public string ColumnDefinition(ColumnOperation column, string table, string? schema, string name, bool withDefault = true)
    {
        ArgumentNullException.ThrowIfNull(column);
        var sql = Single(AsAddColumn(column, table, schema, name, withDefault));
        var prefix = $"ALTER TABLE {names.Table(table, schema)} ADD ";
        return sql.StartsWith(prefix, StringComparison.Ordinal)
            ? sql[prefix.Length..].TrimEnd(';')
            : throw new InvalidOperationException($"unexpected column SQL from the provider: {sql}");
    }

    /// <summary>
    /// <c>CREATE TABLE IF NOT EXISTS …;</c> with its columns, primary key, unique and check constraints (and comments),
    /// without its foreign keys: those are added NOT VALID and validated on their own.
    /// </summary>
    public string CreateTable(CreateTableOperation table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var copy = new CreateTableOperation
        {
            Name = table.Name,
            Schema = table.Schema,
            Comment = table.Comment,
            PrimaryKey = table.PrimaryKey,
        };
        copy.Columns.AddRange(table.Columns);
        copy.UniqueConstraints.AddRange(table.UniqueConstraints);
        copy.CheckConstraints.AddRange(table.CheckConstraints);
        copy.AddAnnotations(table.GetAnnotations());
        return InsertAfter(Text(copy), "CREATE TABLE ", "IF NOT EXISTS ");
    }

    /// <summary><c>CREATE [UNIQUE] INDEX [CONCURRENTLY] IF NOT EXISTS name ON table (…)…;</c></summary>
    public string CreateIndex(CreateIndexOperation index, bool concurrently)
    {
        ArgumentNullException.ThrowIfNull(index);
        var copy = new CreateIndexOperation
        {
            Name = index.Name,
            Schema = index.Schema,
            Table = index.Table,
            Columns = index.Columns,
            IsUnique = index.IsUnique,
            IsDescending = index.IsDescending,
            Filter = index.Filter,
        };
        copy.AddAnnotations(index.GetAnnotations().Where(a => a.Name != NpgsqlAnnotations.CreatedConcurrently));
        copy.AddAnnotation(NpgsqlAnnotations.CreatedConcurrently, concurrently);
        var sql = Text(copy);
        var head = (index.IsUnique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ") + (concurrently ? "CONCURRENTLY " : "");
        return InsertAfter(sql, head, "IF NOT EXISTS ");
    }

    /// <summary><c>ALTER TABLE t ADD CONSTRAINT name …</c> (no semicolon) of a foreign key, check, primary key or unique constraint.</summary>
    public string AddConstraint(MigrationOperation constraint) => Single(constraint).TrimEnd(';');

    /// <summary><c>CREATE SEQUENCE IF NOT EXISTS …;</c></summary>
    public string CreateSequence(CreateSequenceOperation sequence)
        => InsertAfter(Text(sequence), "CREATE SEQUENCE ", "IF NOT EXISTS ");

    private string Text(MigrationOperation operation)
        => string.Concat(generator.Generate([operation]).Select(c => c.CommandText)).ReplaceLineEndings("\n").Trim();

    /// <summary>The one statement the provider writes for <paramref name="operation"/>.</summary>
    private string Single(MigrationOperation operation)
    {
        var sql = Text(operation);
        return sql.Contains('\n', StringComparison.Ordinal)
            ? throw new InvalidOperationException($"expected one statement from the provider, got: {sql}")
            : sql;
    }

    private static string InsertAfter(string sql, string head, string insert)
        => sql.StartsWith(head, StringComparison.Ordinal)
            ? head + insert + sql[head.Length..]
            : throw new InvalidOperationException($"expected the provider's SQL to start with \"{head}\": {sql}");

    private static AddColumnOperation AsAddColumn(ColumnOperation column, string table, string? schema, string name, bool withDefault)
    {
        var copy = new AddColumnOperation
        {
            Schema = schema,
            Table = table,
            Name = name,
            ClrType = column.ClrType,
            ColumnType = column.ColumnType,
            IsUnicode = column.IsUnicode,
            IsFixedLength = column.IsFixedLength,
            MaxLength = column.MaxLength,
            Precision = column.Precision,
            Scale = column.Scale,
            IsRowVersion = column.IsRowVersion,
            IsNullable = column.IsNullable,
            DefaultValue = withDefault ? column.DefaultValue : null,
            DefaultValueSql = withDefault ? column.DefaultValueSql : null,
            ComputedColumnSql = column.ComputedColumnSql,
            IsStored = column.IsStored,
            Collation = column.Collation,
        };
        copy.AddAnnotations(column.GetAnnotations());
        return copy;
    }
}
