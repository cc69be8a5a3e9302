#pragma once
// Backup and restore of the SQLite database file (`opas backup FILE`, `opas restore FILE`).
//
// A backup is one self-contained SQLite file (rollback journal, no -wal beside it), written
// with SQLite's online backup API over a connection of its own: consistent while `opas serve`
// keeps writing (the copy is one read transaction on a WAL snapshot; writers are not blocked).
// It holds everything, the pseudonym key and the people table included: keep it as secret as
// the database (the file is created with mode 0600).

#include <cstdint>
#include <string>

#include "storage/status.hpp"

namespace opas::storage {

struct backup_info {
    int schema_version = 0;
    std::int64_t pages = 0;
    std::int64_t bytes = 0;
};

// Copies the database at `database_path` into `path`. Writes `path`.tmp first, checks it
// (quick_check), syncs it and renames it over `path`: `path` is always either what it was or a
// whole backup. Fails with not_found when there is no database, busy when a writer held the
// database longer than the retries allow.
result<backup_info> backup_to(const std::string& database_path, const std::string& path);

// Checks that `path` is an opas database this program can restore: an SQLite file that passes
// quick_check, with the opas tables, at a schema version from 1 to the latest.
result<backup_info> inspect_backup(const std::string& path);

// True when another process has the database open: every SQLite connection in WAL mode holds
// a shared lock on the lock bytes of the -shm file for as long as it is open.
bool database_in_use(const std::string& database_path);

struct restore_info {
    backup_info restored;
    std::string previous_copy;  // where the replaced database was kept; "" when there was none
    bool previous_was_unreadable = false;  // kept by renaming its files, not by a backup
};

// Replaces the database at `database_path` with the backup at `path`:
// 1. validates the backup (inspect_backup);
// 2. refuses with status::busy while another process has the database open (stop opas first);
// 3. keeps the current database as `<database_path>.before-restore` (a backup of it; when it
//    cannot be read, its files are renamed to that name instead);
// 4. copies the backup in with the backup API as one write transaction of the database's own
//    connection, so SQLite handles the WAL (no stale -wal can be replayed over the new pages),
//    then checkpoints. A crash in between leaves the old or the new content, never a mix.
// An older backup keeps its schema version: opening it with database::open migrates it.
result<restore_info> restore_from(const std::string& path, const std::string& database_path);

}  // namespace opas::storage
