# Run once per interpreter by PythonEnv.Sdk: prints one JSON object describing this interpreter.
# Stdlib only, no f-strings, so that even an old interpreter answers (and is then rejected by version).
import json
import os
import platform
import struct
import sys
import sysconfig

VENV = "@VENV@"


def config(name):
    value = sysconfig.get_config_var(name)
    return None if value is None else str(value)


def venv_scheme():
    # The scheme a venv of this interpreter installs into, with the venv root left as a placeholder.
    names = sysconfig.get_scheme_names()
    if "venv" in names:
        scheme = "venv"
    elif os.name == "nt":
        scheme = "nt"
    else:
        scheme = "posix_prefix"
    roots = {"base": VENV, "platbase": VENV, "installed_base": VENV, "installed_platbase": VENV, "userbase": VENV}
    return scheme, sysconfig.get_paths(scheme, vars=roots)


def default_scheme():
    getter = getattr(sysconfig, "get_default_scheme", None) or getattr(sysconfig, "_get_default_scheme", None)
    return getter() if getter else None


def libpython():
    if os.name == "nt":
        # pythonXY.dll (pythonXYt.dll when free-threaded) sits beside the base python.exe.
        suffix = "t" if config("Py_GIL_DISABLED") == "1" else ""
        name = "python%d%d%s.dll" % (sys.version_info[0], sys.version_info[1], suffix)
        for folder in (sys.base_prefix, os.path.dirname(getattr(sys, "_base_executable", sys.executable))):
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                return candidate
        return None
    framework = config("PYTHONFRAMEWORK")
    if sys.platform == "darwin" and framework:
        candidate = os.path.join(config("PYTHONFRAMEWORKPREFIX") or "", config("LDLIBRARY") or "")
        if os.path.isfile(candidate):
            return candidate
    libdir = config("LIBDIR") or ""
    for name in (config("INSTSONAME"), config("LDLIBRARY")):
        if not name or name.endswith(".a"):
            continue
        # A relocated installation (python-build-standalone, a managed interpreter) keeps the LIBDIR it was built
        # with, which may not exist or be another copy: its own lib folder comes first.
        for folder in (os.path.join(sys.base_prefix, "lib"), libdir, os.path.join(libdir, config("MULTIARCH") or "")):
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                return candidate
    return None


def glibc_version():
    try:
        value = os.confstr("CS_GNU_LIBC_VERSION")
    except (AttributeError, OSError, ValueError):
        return None
    if value and value.startswith("glibc "):
        return value.split(" ", 1)[1]
    return None


def musl_loader_output():
    # musl's dynamic loader prints "musl libc (arch)" and "Version x.y.z" when run without arguments.
    if not sys.platform.startswith("linux") or glibc_version():
        return None
    import glob
    import subprocess
    for loader in sorted(glob.glob("/lib/ld-musl-*.so.1")):
        try:
            return subprocess.run([loader], stdout=subprocess.PIPE, stderr=subprocess.PIPE).stderr.decode("utf-8", "replace")
        except OSError:
            continue
    return None


def implementation_version():
    info = sys.implementation.version
    version = "%d.%d.%d" % (info.major, info.minor, info.micro)
    if info.releaselevel != "final":
        version += info.releaselevel[0] + str(info.serial)
    return version


def main():
    scheme, paths = venv_scheme()
    mac = platform.mac_ver()[0] if sys.platform == "darwin" else ""
    result = {
        "executable": sys.executable,
        "base_executable": getattr(sys, "_base_executable", None) or sys.executable,
        "version": platform.python_version(),
        "version_info": list(sys.version_info[:3]) + [sys.version_info[3], sys.version_info[4]],
        "implementation": sys.implementation.name,
        "implementation_version": implementation_version(),
        "prefix": sys.prefix,
        "base_prefix": getattr(sys, "base_prefix", sys.prefix),
        "exec_prefix": sys.exec_prefix,
        "base_exec_prefix": getattr(sys, "base_exec_prefix", sys.exec_prefix),
        "default_scheme": default_scheme(),
        "venv_scheme": scheme,
        "venv_paths": paths,
        "os_name": os.name,
        "sys_platform": sys.platform,
        "platform": sysconfig.get_platform(),
        "pointer_bits": struct.calcsize("P") * 8,
        "soabi": config("SOABI"),
        "ext_suffix": config("EXT_SUFFIX"),
        "abiflags": getattr(sys, "abiflags", ""),
        "py_debug": config("Py_DEBUG") == "1",
        "free_threaded": config("Py_GIL_DISABLED") == "1",
        "glibc_version": glibc_version(),
        "musl_loader_output": musl_loader_output(),
        "mac_version": mac,
        "libpython": libpython(),
        "shared": config("Py_ENABLE_SHARED") == "1" or config("PYTHONFRAMEWORK") not in (None, ""),
        "markers": {
            "implementation_name": sys.implementation.name,
            "implementation_version": implementation_version(),
            "os_name": os.name,
            "platform_machine": platform.machine(),
            "platform_python_implementation": platform.python_implementation(),
            "platform_release": platform.release(),
            "platform_system": platform.system(),
            "platform_version": platform.version(),
            "python_full_version": platform.python_version(),
            "python_version": ".".join(platform.python_version_tuple()[:2]),
            "sys_platform": sys.platform,
        },
    }
    sys.stdout.write(json.dumps(result))


main()
