"""Builds the tunepack Python package: `pip install .` (see README "Python").

The extension module is built by the project's own CMake (target tunepack_python, from
python/CMakeLists.txt) for the interpreter running this script, then copied into the
package. Only Debian packages are needed (python3-setuptools, pybind11-dev, python3-dev and
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


class CMakeBuild(build_ext):
    """Configures and builds tunepack_python with CMake, in build-python-<tag>/."""

    def build_extension(self, ext):
        tag = sysconfig.get_config_var("SOABI") or "python3"
        build_dir = Path(os.environ.get("TUNEPACK_PYTHON_BUILD_DIR", ROOT / f"build-python-{tag}"))
        configure = ["cmake", "-S", str(ROOT), "-B", str(build_dir), "-DCMAKE_BUILD_TYPE=Release",
                     "-DTP_BUILD_TESTS=OFF", "-DTP_BUILD_BENCH=OFF", f"-DPython_EXECUTABLE={sys.executable}"]
        if shutil.which("ninja"):
            configure += ["-G", "Ninja"]
        if shutil.which("ccache"):
            configure += ["-DCMAKE_CXX_COMPILER_LAUNCHER=ccache", "-DCMAKE_C_COMPILER_LAUNCHER=ccache"]
        subprocess.run(configure, check=True)
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "tunepack_python"], check=True)
        built = next((build_dir / "python" / "tunepack").glob("_native*.so"))
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)


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
    zip_safe=False,
)
