namespace PythonEnv.Locking;

/// <summary>What <c>PythonLock</c> does with drift (<c>PythonLockMode</c>).</summary>
public enum LockMode
{
    /// <summary>Re-resolve and rewrite the lock when the declarations drifted from it.</summary>
    Update,

    /// <summary>Never write; drift is PYENV3001.</summary>
    Locked,

    /// <summary>No check at all.</summary>
    Frozen,
}
