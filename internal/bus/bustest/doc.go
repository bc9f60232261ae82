// Package bustest is the contract suite every chat.Bus implementation
// passes: Run drives a fresh bus per case through delivery, wildcard
// matching, ordering, lifecycle, backpressure and concurrency, so that the
// in-process bus and the NATS bus cannot drift apart. BenchmarkPublish is
// the shared publish benchmark.
//
// It imports only the standard library and chat; it is imported only by
// tests.
package bustest
