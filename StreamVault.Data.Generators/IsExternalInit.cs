namespace System.Runtime.CompilerServices;

/// <summary>Lets records compile for netstandard2.0, the compiler's host, which predates init-only setters.</summary>
internal static class IsExternalInit;
