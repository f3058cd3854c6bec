// Fixture for the layer check: a core file that reaches for SQLite and an adapter.
#include <sqlite3.h>

#include "store/sqlite/sqlite_store.h"
