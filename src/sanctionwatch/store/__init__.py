"""The store: analysed articles and what was found in them, in SQLite or any SQLAlchemy database.

`Store.open(db)` creates or upgrades the schema (Alembic migrations shipped in `migrations/`);
`Store.save(batch)` is idempotent by article key; `queries` lists stored flags and events.
"""

from .database import DB_ENV, DEFAULT_DB, database_url
from .keys import article_key
from .repository import SaveResult, Store
from .rows import ArticleRows, article_rows

__all__ = ["DB_ENV", "DEFAULT_DB", "ArticleRows", "SaveResult", "Store", "article_key",
           "article_rows", "database_url"]
