using System;
using System.Collections.Generic;
using PythonEnv.Packaging;

namespace PythonEnv.Resolution;

/// <summary>
/// Thrown out of a solve when a dependency list divides the fork being solved: the resolver solves each
/// part on its own. Never reaches users.
/// </summary>
internal sealed class ForkRequiredException : Exception
{
    public ForkRequiredException(IReadOnlyList<MarkerExpression> parts)
        : base("The resolution must fork.")
    {
        Parts = parts;
    }

    public IReadOnlyList<MarkerExpression> Parts { get; }
}
