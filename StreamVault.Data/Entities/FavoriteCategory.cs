namespace StreamVault.Data.Entities;

/// <summary>A category a user marked as favourite (table <c>favorite_categories</c>).</summary>
public class FavoriteCategory
{
    public int Id { get; set; }

    /// <summary>Nullable: the June 2025 release made both keys nullable.</summary>
    public int? UserId { get; set; }
    public User? User { get; set; }
    public int? CategoryId { get; set; }
    public Category? Category { get; set; }
    public DateTime? CreatedAt { get; set; }
}
