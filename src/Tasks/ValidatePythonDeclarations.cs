using System;
using System.Collections.Generic;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using PythonEnv.Inputs;

namespace PythonEnv.Sdk.Tasks;

/// <summary>
/// Reports every <c>PythonPackage</c> and <c>PythonConstraint</c> item that is not a valid declaration as
/// PYENV1001, at the project file (and line, when the item can be found there) that defines it.
/// </summary>
public sealed class ValidatePythonDeclarations : Task
{
    /// <summary>The <c>PythonPackage</c> items.</summary>
    public ITaskItem[] Packages { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>The <c>PythonConstraint</c> items.</summary>
    public ITaskItem[] Constraints { get; set; } = Array.Empty<ITaskItem>();

    public override bool Execute()
    {
        foreach (var declaration in Declarations.FromItems(Packages, DeclarationKind.Package))
        {
            Report(PackageDeclarationValidator.Validate(declaration));
        }

        foreach (var declaration in Declarations.FromItems(Constraints, DeclarationKind.Constraint))
        {
            Report(PackageDeclarationValidator.Validate(declaration));
        }

        return !Log.HasLoggedErrors;
    }

    private void Report(DeclarationValidation validation)
    {
        foreach (var error in validation.Errors)
        {
            Diagnostics.LogError(this, error);
        }
    }
}
