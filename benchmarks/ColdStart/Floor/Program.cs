using Npgsql;

// "hello": the .NET floor. "select1 <connection>": the floor plus one Npgsql connection and one statement;
// "select1-slim <connection>": the same on NpgsqlSlimDataSourceBuilder, which loads only the type handlers it is given.
switch (args)
{
    case ["select1", var connectionString]:
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("SELECT 1");
        Console.WriteLine(await command.ExecuteScalarAsync());
        return 0;
    }

    case ["select1-slim", var connectionString]:
    {
        await using var dataSource = new NpgsqlSlimDataSourceBuilder(connectionString).EnableArrays().Build();
        await using var command = dataSource.CreateCommand("SELECT 1");
        Console.WriteLine(await command.ExecuteScalarAsync());
        return 0;
    }

    default:
        Console.WriteLine("hello");
        return 0;
}
