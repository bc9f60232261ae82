// Package wire holds Rocket.Chat's JSON shapes, shared by the REST and DDP
// adapters. Mostly it renders domain values; the only difference between
// the two adapters is how dates are written: ISO-8601 strings on REST,
// EJSON {"$date": ms} on DDP. A few request shapes that both adapters
// accept, such as an integration, are read here too, into core's inputs,
// so that both read them alike.
package wire
