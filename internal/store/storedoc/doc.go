// Package storedoc holds the plain Go that the SQLite and PostgreSQL stores
// share, so that both keep data in one shape and cannot drift apart: the
// JSON documents of their doc columns (the fields no query filters or sorts
// on) with their conversions from and to chat's types, the encodings of
// times and search keys, and the few dialect-free helpers (sort orders,
// mention rows, migration files) that each store would otherwise write
// again.
//
// What differs between the engines stays in the stores: how a document is
// bound to its column (SQLite text with "" for empty; PostgreSQL jsonb with
// "{}" for empty, NUL and invalid UTF-8 replaced), the form a message's
// markdown is kept in (see MDForm), and all SQL.
//
// The document types mirror chat's types field by field, so that renaming a
// field in chat breaks the build here instead of silently orphaning stored
// data. Their JSON names, and the order of their fields, are the stored
// format: existing databases hold them, so they never change.
//
// It imports only the standard library and chat; the stores import it,
// never the other way round.
package storedoc
