"""PostgreSQL's async engine without SQLAlchemy's ORM (``db.engine.async_engine_module``):
``sqlalchemy.ext.asyncio``'s ``__init__`` imports the ORM for ``AsyncSession``, ~5.5 MB in
every worker, and shiptrack uses none of it (docs/decisions/0030)."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import sys
from shiptrack.db.engine import async_engine_module
module = async_engine_module()
print(module.__name__, "sqlalchemy.orm" in sys.modules, "sqlalchemy.ext.asyncio" in sys.modules)
engine = module.create_async_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none")
print(type(engine).__name__)
import sqlalchemy.ext.asyncio as package  # the real package still imports, complete
print(package.create_async_engine is module.create_async_engine, package.AsyncSession.__name__)
print("sqlalchemy.orm" in sys.modules)
"""


def test_the_async_engine_is_imported_without_the_orm_and_the_package_still_imports_whole():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:4] == [
        "sqlalchemy.ext.asyncio.engine False False",
        "AsyncEngine",
        "True AsyncSession",
        "True",
    ]


def test_once_the_package_is_imported_its_own_engine_module_is_used():
    code = (
        "import sqlalchemy.ext.asyncio as package\n"
        "from shiptrack.db.engine import async_engine_module\n"
        "print(async_engine_module().AsyncEngine is package.AsyncEngine)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
