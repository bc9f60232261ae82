// Package postgres implements chat.Store on PostgreSQL through pgx and its
// connection pool, for the clustered mode in which several Liftoff
// instances share one database.
//
// It owns the PostgreSQL schema (migrations/*.sql, embedded and applied on
// Open under an advisory lock), the translation of driver errors into chat
// errors, and the pool. It imports only the standard library, chat,
// store/storedoc (the documents and helpers it shares with the SQLite
// store), pgx and golang.org/x/text (for the folding of search words).
//
// # Semantics
//
// The store behaves as store/sqlite does, proven by the same contract suite
// (store/storetest): the same storage model (real columns for what is
// filtered or sorted on, a jsonb document for the rest, times as UTC
// milliseconds), the same unread counts computed on read from per-room
// sequence numbers, the same removals, and a full-text search that finds
// what SQLite's finds. Text columns use the "C" collation, so that order and
// uniqueness are bytewise as in SQLite.
//
// # Transactions
//
// Transactions run at READ COMMITTED. Inside WithTx, reads of one row by its
// key (RoomByID, MessageByID, Subscription, ...) lock that row until the
// transaction ends (FOR NO KEY UPDATE), so that the read-modify-write cycles
// of the core (a reaction, a thread counter, a read mark, a membership
// change after re-reading its room) cannot lose a concurrent update: where
// SQLite runs one transaction at a time, PostgreSQL serialises only the
// transactions that touch the same rows. CountUsers inside a transaction
// also serialises with the others that count users, since a decision on a
// count (the first user becomes an administrator) depends on rows that do
// not exist yet. Listings are not locked. Full SERIALIZABLE isolation was
// weighed and refused: every post updates its room's row, and concurrent
// posts to one room would then abort each other instead of queueing.
//
// Posting locks its room's row for the rest of its transaction, and nothing
// per member. A transaction that PostgreSQL aborts for a deadlock or a
// serialisation failure runs again from the start, a few times; the core's
// transaction functions are written to be re-run.
//
// In PostgreSQL a failed statement aborts its whole transaction, where SQLite
// fails the statement alone. The writes that the core expects to fail inside
// a transaction (joining a room one is already in, posting under a taken id)
// are therefore written as statements that report a conflict without
// raising an error, and the other writes that may violate a constraint run
// inside a savepoint, so a refused write leaves the transaction usable as it
// does with SQLite.
//
// # Availability
//
// Errors of reaching the database (connection refused or lost, server
// shutting down, no free connection within the acquire timeout) become
// chat.EUnavailable, which the API answers with 503 and /readyz reports. The
// pool drops broken connections and dials new ones on demand, so the store
// recovers by itself when PostgreSQL is back.
package postgres
