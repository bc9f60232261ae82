// Package memory is the in-process chat.Bus of the embedded mode: events
// go from Publish straight to the buffered channels of matching
// subscriptions, without encoding.
//
// It behaves as the NATS bus does, so the single-process deployment
// exercises the same contract as a cluster (bustest checks both): the same
// topic syntax and ".>" wildcard, a payload limit, bounded buffers that
// drop rather than block. Events never leave the process, so two Bus
// values do not see each other's events.
//
// It imports only the standard library and chat.
package memory
