// Package cluster holds the integration tests of a clustered deployment:
// several Liftoff instances sharing PostgreSQL and NATS, started by
// testenv.StartCluster, with Rocket.Chat clients (DDP and REST) on each.
// They prove what docs/scaling.md promises: events cross instances,
// presence is the union over live instances, a killed instance's users
// are corrected, a rolling restart loses no message, and the instances
// survive PostgreSQL and NATS outages.
//
// The tests need LIFTOFF_TEST_POSTGRES_URL and LIFTOFF_TEST_NATS_URL (CI
// and `make test` set them) and skip without them; the fault tests start
// private PostgreSQL and NATS servers of their own.
package cluster
