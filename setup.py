"""Builds the tunepack Python package: `pip install .` (see README "Python").

The extension module is built by the project's own CMake (target tunepack_python, from
python/CMakeLists.txt), in the repository's configured build/ when there is one (only the
module is then compiled), else in a new build-python/ for the interpreter running this
script, then copied into the package. Only Debian packages are needed (python3-setuptools, pybind11-dev, python3-dev and
the build dependencies scripts/setup installs); nothing is fetched. There is deliberately
no pyproject.toml: pip then builds with the setuptools already installed instead of
downloading one into an isolated environment, which an offline machine cannot do.
"""
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent


def project_version():
    text = (ROOT / "CMakeLists.txt").read_text()
    return re.search(r"project\(tunepack VERSION ([0-9.]+)", text).group(1)


def build_dir():
    """TUNEPACK_PYTHON_BUILD_DIR, else the repository's own build/ when it is configured
    (README: `make build`; only the extension is then compiled), else build-python/."""
    if os.environ.get("TUNEPACK_PYTHON_BUILD_DIR"):
        return Path(os.environ["TUNEPACK_PYTHON_BUILD_DIR"])
    if (ROOT / "build" / "CMakeCache.txt").exists():
        return ROOT / "build"
    return ROOT / "build-python"


class CMakeBuild(build_ext):
    """Builds the CMake target tunepack_python and copies the module into the package."""

    def build_extension(self, ext):
        out = build_dir()
        configure = ["cmake", "-S", str(ROOT), "-B", str(out)]
        if not (out / "CMakeCache.txt").exists():
            configure += [f"-DPython_EXECUTABLE={sys.executable}", "-DCMAKE_BUILD_TYPE=Release", "-DTP_BUILD_TESTS=OFF", "-DTP_BUILD_BENCH=OFF"]
            if shutil.which("ninja"):
                configure += ["-G", "Ninja"]
            if shutil.which("ccache"):
                configure += ["-DCMAKE_CXX_COMPILER_LAUNCHER=ccache", "-DCMAKE_C_COMPILER_LAUNCHER=ccache"]
        subprocess.run(configure, check=True)
        subprocess.run(["cmake", "--build", str(out), "--target", "tunepack_python"], check=True)
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        built = out / "python" / "tunepack" / ("_native" + suffix)
        if not built.exists():
            sys.exit(f"{out} builds the module for another Python than {sys.executable} ({suffix}): "
                     "set TUNEPACK_PYTHON_BUILD_DIR to a new folder")
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)
        if shutil.which("strip"):  # the debug information of a RelWithDebInfo build: 100 MB
            subprocess.run(["strip", "--strip-debug", str(target)], check=True)


# setuptools' own scratch files stay out of the CMake build folder and the sources.
SCRATCH = ROOT / "build-setuptools"
SCRATCH.mkdir(exist_ok=True)

setup(
    name="tunepack",
    version=project_version(),
    description="Exact tokenizers, chat templates and fine-tuning dataset exports (tunepack's engines)",
    long_description="See docs/python.md in the tunepack repository.",
    license="Apache-2.0",
    python_requires=">=3.9",
    package_dir={"": "python"},
    packages=["tunepack"],
    package_data={"tunepack": ["*.pyi", "py.typed"]},
    ext_modules=[Extension("tunepack._native", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    options={"build": {"build_base": str(SCRATCH)}, "egg_info": {"egg_base": str(SCRATCH)}},
    zip_safe=False,
)
