namespace StreamVault.Data.Entities;

/// <summary>One-shot UI flags of the installation (table <c>system_state</c>, a single row with id 1).</summary>
public class SystemState
{
    /// <summary>Always 1 (<c>CHECK system_state_singleton</c>).</summary>
    public int Id { get; set; } = 1;
    public bool WelcomeCompleted { get; set; }
    public DateTime? WelcomeCompletedAt { get; set; }
    public DateTime? UpdatedAt { get; set; }
}
