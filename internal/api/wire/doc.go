// Package wire renders domain values in Rocket.Chat's JSON shapes, shared by
// the REST and DDP adapters. The only difference between the two is how
// dates are written: ISO-8601 strings on REST, EJSON {"$date": ms} on DDP.
package wire
