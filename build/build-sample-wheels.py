#!/usr/bin/env python3
"""Builds the samples' Python packages (samples/packages/*) into wheels, with the standard library only.

Usage: python3 build/build-sample-wheels.py [output-folder]   (default: artifacts/sample-wheels)

A package whose pyproject.toml has [tool.sample-wheels] gets one wheel per entry of its `tags` (platform
stand-ins such as PyTorch's CUDA builds, which hold no native code), and with `indexes = ["cu121", ...]` is
published not to the output folder but to file:// simple indexes beside it (sample-indexes/<index>/<project>/
index.html, PEP 503 with sha256 fragments), as PyTorch publishes its builds on per-accelerator indexes.

The samples resolve and install from that folder (PythonFindLinks), so they build offline and the repository
holds sources only, never binary files. Each wheel is a pure-Python py3-none-any wheel (the wheel format,
https://packaging.python.org/en/latest/specifications/binary-distribution-format/) with METADATA 2.1,
WHEEL and a RECORD of sha256 digests. The output is reproducible: entries are sorted, stored uncompressed and dated 1980-01-01,
so the same sources give the same bytes on every OS and Python, and the samples' committed locks (which record
these wheels by relative path and sha256) stay valid in every clone.
"""
import base64
import hashlib
import io
import os
import re
import sys
import zipfile

try:
    import tomllib
except ImportError:  # Python < 3.11
    sys.exit("build-sample-wheels: needs Python 3.11 or later (tomllib)")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCES = os.path.join(ROOT, "samples", "packages")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def normalized(name):
    # PEP 503 normalization, then '-' -> '_' as the wheel file name and .dist-info folder require.
    return re.sub(r"[-_.]+", "-", name).lower().replace("-", "_")


def metadata(project):
    lines = [
        "Metadata-Version: 2.1",
        "Name: " + project["name"],
        "Version: " + project["version"],
    ]
    if "description" in project:
        lines.append("Summary: " + project["description"])
    if "requires-python" in project:
        lines.append("Requires-Python: " + project["requires-python"])
    lines += ["Requires-Dist: " + requirement for requirement in project.get("dependencies", [])]
    return "\n".join(lines) + "\n"


def module_files(package_dir):
    """Every file of the import packages and modules beside pyproject.toml, as (archive path, bytes)."""
    files = []
    for entry in sorted(os.listdir(package_dir)):
        path = os.path.join(package_dir, entry)
        if os.path.isfile(path) and entry.endswith(".py"):
            files.append((entry, path))
        elif os.path.isfile(os.path.join(path, "__init__.py")):
            for folder, subfolders, names in os.walk(path):
                subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
                for name in sorted(names):
                    if not name.endswith((".pyc", ".pyo")):
                        full = os.path.join(folder, name)
                        files.append((os.path.relpath(full, package_dir).replace(os.sep, "/"), full))
    if not files:
        sys.exit("build-sample-wheels: %s has no module or package beside pyproject.toml" % package_dir)
    return [(archive, open(full, "rb").read()) for archive, full in files]


def record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return "%s,sha256=%s,%d" % (path, digest, len(data))


def build_wheel(package_dir, output, tag="py3-none-any"):
    with open(os.path.join(package_dir, "pyproject.toml"), "rb") as f:
        project = tomllib.load(f)["project"]
    stem = "%s-%s" % (normalized(project["name"]), project["version"])
    dist_info = stem + ".dist-info"
    entries = module_files(package_dir)
    entries.append((dist_info + "/METADATA", metadata(project).encode("utf-8")))
    wheel = "Wheel-Version: 1.0\nGenerator: build-sample-wheels.py\nRoot-Is-Purelib: %s\nTag: %s\n" % (
        "true" if tag.endswith("-any") else "false", tag)
    entries.append((dist_info + "/WHEEL", wheel.encode("utf-8")))
    record = "".join(record_line(path, data) + "\n" for path, data in entries) + dist_info + "/RECORD,,\n"
    entries.append((dist_info + "/RECORD", record.encode("utf-8")))

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for path, data in entries:
            info = zipfile.ZipInfo(path, ZIP_DATE)
            info.create_system = 3  # "Unix" everywhere (zipfile says 0 on Windows), so every OS builds the same bytes
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_STORED  # no zlib-version-dependent bytes
            archive.writestr(info, data)
    target = os.path.join(output, "%s-%s.whl" % (stem, tag))
    data = buffer.getvalue()
    # Rewrite only when the bytes change, so file times (and incremental builds) stay put.
    if not os.path.exists(target) or open(target, "rb").read() != data:
        with open(target, "wb") as f:
            f.write(data)
    return target


def write_index_pages(indexes_root):
    """A PEP 503 page per project folder of every sample index, listing its wheels with their sha256."""
    for index in sorted(os.listdir(indexes_root)):
        for project in sorted(os.listdir(os.path.join(indexes_root, index))):
            folder = os.path.join(indexes_root, index, project)
            links = []
            for name in sorted(os.listdir(folder)):
                if name.endswith(".whl"):
                    digest = hashlib.sha256(open(os.path.join(folder, name), "rb").read()).hexdigest()
                    links.append('<a href="%s#sha256=%s">%s</a><br/>' % (name, digest, name))
            page = "<!DOCTYPE html>\n<html><body>\n%s\n</body></html>\n" % "\n".join(links)
            target = os.path.join(folder, "index.html")
            if not os.path.exists(target) or open(target).read() != page:
                with open(target, "w", newline="\n") as f:
                    f.write(page)


def main():
    output = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "artifacts", "sample-wheels"))
    indexes_root = os.path.join(os.path.dirname(output), "sample-indexes")
    os.makedirs(output, exist_ok=True)
    for name in sorted(os.listdir(SOURCES)):
        package_dir = os.path.join(SOURCES, name)
        if not os.path.isfile(os.path.join(package_dir, "pyproject.toml")):
            continue
        with open(os.path.join(package_dir, "pyproject.toml"), "rb") as f:
            document = tomllib.load(f)
        settings = document.get("tool", {}).get("sample-wheels", {})
        folders = [os.path.join(indexes_root, index, re.sub(r"[-_.]+", "-", document["project"]["name"]).lower())
                   for index in settings.get("indexes", [])] or [output]
        for folder in folders:
            os.makedirs(folder, exist_ok=True)
            for tag in settings.get("tags", ["py3-none-any"]):
                print("  " + os.path.relpath(build_wheel(package_dir, folder, tag), ROOT))
    if os.path.isdir(indexes_root):
        write_index_pages(indexes_root)


if __name__ == "__main__":
    main()
