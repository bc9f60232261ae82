// Package storetest is the contract suite of chat.Store: one set of tests,
// written against the interface only, that every backend (store/sqlite,
// store/postgres) runs through Run and must pass unchanged.
//
// The tests pin what chat/store.go documents, and where the documentation
// leaves a choice open, the choice the backends agreed on (each such test
// says so). They never use SQL, so a backend is free to store things as it
// likes.
//
// It imports only the standard library and chat.
package storetest
