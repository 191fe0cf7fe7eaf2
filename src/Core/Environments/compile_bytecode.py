# Run by PythonEnv.Sdk (BytecodeCompiler) in the target interpreter: compiles the .py files it is given to PEP 3147
# bytecode, as pip's install does. Reads a JSON object {"mode": "default" | "checked-hash", "files": [path, ...]} from
# standard input and prints a JSON list of [path, pyc path, null] or [path, null, error] (a file this Python cannot
# compile, say Python 2 code in a template folder, is reported, not fatal: it runs from source, as with pip).
# Stdlib only, no f-strings.
import importlib.util
import json
import py_compile
import sys


def main():
    request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    mode = request.get("mode")
    kwargs = {"doraise": True}
    if mode == "checked-hash":
        kwargs["invalidation_mode"] = py_compile.PycInvalidationMode.CHECKED_HASH
    results = []
    for path in request["files"]:
        try:
            results.append([path, py_compile.compile(path, cfile=importlib.util.cache_from_source(path), **kwargs), None])
        except (py_compile.PyCompileError, SyntaxError, ValueError, UnicodeError) as error:
            message = str(getattr(error, "msg", error)).strip().splitlines()
            results.append([path, None, message[-1] if message else type(error).__name__])
    sys.stdout.write(json.dumps(results))


main()
