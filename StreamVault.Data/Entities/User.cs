namespace StreamVault.Data.Entities;

/// <summary>A user who signs in to the web UI (table <c>users</c>).</summary>
public class User
{
    public int Id { get; set; }

    /// <summary>Unique (<c>users_username_key</c>).</summary>
    public required string Username { get; set; }

    /// <summary>The password hash, as the app stores it.</summary>
    public required string Password { get; set; }

    /// <summary>Null leaves it to the server default (false).</summary>
    public bool? IsAdmin { get; set; }
    public DateTime? CreatedAt { get; set; }
    public ICollection<Session> Sessions { get; } = [];
    public ICollection<ApiKey> ApiKeys { get; } = [];
    public ICollection<FavoriteCategory> FavoriteCategories { get; } = [];
    public NotificationState? NotificationState { get; set; }
}
