using System;
using System.IO;
using System.Text;

namespace PythonEnv.Environments;

/// <summary>A Python script embedded in PythonEnv.Core (probe.py, pep517_build.py, compile_bytecode.py), read once.</summary>
internal sealed class EmbeddedScript(string fileName)
{
    private readonly Lazy<string> _text = new(() =>
    {
        using var stream = typeof(EmbeddedScript).Assembly.GetManifestResourceStream("PythonEnv.Environments." + fileName)
            ?? throw new InvalidOperationException(fileName + " is not embedded in PythonEnv.Core");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    });

    public string Text => _text.Value;
}
