#pragma once
// Schema migrations, private to storage/.
//
// Each migration is one numbered SQL step. `migrate` applies the missing ones in order, each
// in its own transaction together with `PRAGMA user_version = N`, so a crash leaves the
// database at a whole version. Forward-only: there are no down steps. A database whose
// user_version is newer than the newest step known here is refused.
//
// Adding a migration: append a step with the next number; never edit a released step.

#include <sqlite3.h>

#include "storage/sqlite.hpp"
#include "storage/status.hpp"

namespace opas::storage::schema {

int latest_version();

// Reads PRAGMA user_version; -1 when it cannot be read.
int current_version(sqlite3* db);

// Brings the schema up to latest_version(). Fails with status::invalid when the database is
// newer than this program.
status migrate(sqlite::connection& conn);

// Applies the steps up to and including `target` only (tests build databases of every earlier
// version with it, to prove upgrades from each of them). A database already at or past
// `target` is left as it is.
status migrate_to(sqlite::connection& conn, int target);

// For read-only connections: ok when the schema is exactly latest_version(), else a status
// that says whether the database needs `opas migrate` or is newer than this program.
status check_current(sqlite3* db);

}  // namespace opas::storage::schema
