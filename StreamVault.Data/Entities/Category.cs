namespace StreamVault.Data.Entities;

/// <summary>A Twitch category (game) StreamVault has seen (table <c>categories</c>).</summary>
public class Category
{
    public int Id { get; set; }

    /// <summary>Unique (<c>categories_twitch_id_key</c>).</summary>
    public required string TwitchId { get; set; }
    public required string Name { get; set; }
    public string? BoxArtUrl { get; set; }
    public DateTime? FirstSeen { get; set; }
    public DateTime? LastSeen { get; set; }
    public ICollection<FavoriteCategory> Favorites { get; } = [];
}
