// Package server wires Liftoff together: it opens the store and the bus
// that the configuration names, builds the core and the HTTP handlers, and
// runs the listener with a graceful shutdown. It is the only package that
// knows every transport and every backend.
package server
