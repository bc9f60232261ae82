// Package sqlite implements chat.Store on a single SQLite database file,
// through the pure-Go driver modernc.org/sqlite, so that the embedded mode of
// Liftoff needs no C toolchain and no database server.
//
// It owns the SQLite schema (migrations/*.sql, embedded and applied on Open),
// the translation of driver errors into chat errors, and the file's
// connections. It imports only the standard library, chat, store/storedoc
// (the documents and helpers it shares with the PostgreSQL store) and the
// driver.
//
// # Connections
//
// SQLite allows one writer at a time. The Store keeps one connection for
// writes, which writers queue for in Go (committer.go), a pool of read-only
// connections, which in WAL mode never wait for the writer, and one
// connection that checkpoints the WAL in the background (checkpoint.go).
//
// Writes are committed in groups: while one transaction runs, the next ones
// queue; they then run one after the other in the same SQLite transaction,
// each in a savepoint, and the last commits for all. Each caller still
// returns only after the commit that holds its writes, and a failing one
// undoes only its own. A commit costs a WAL append and a full-text index
// flush whatever its size, so grouping is what lets posting keep up with
// many writers. Statements are prepared once and reused (stmt.go).
//
// # Storage model
//
// Every table has real columns for what is filtered, joined or sorted on,
// and a JSON document column (doc) for the rest. Times are UTC milliseconds
// in INTEGER columns, 0 for the zero time. Empty slices and maps are not
// stored, and read back as nil. The JSON documents are encoded from the
// tagged types of store/storedoc, never from chat's types directly, so
// renaming a field in chat breaks the build instead of silently orphaning
// stored data.
//
// Unread counts are computed on read from per-room sequence numbers (see
// chat.Subscription): posting writes the message, its mentions and one row of
// the room, whatever the room's size.
package sqlite
