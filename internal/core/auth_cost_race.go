//go:build race

package core

import "golang.org/x/crypto/bcrypt"

// bcryptCost is bcrypt's minimum in race-detector builds, which only tests
// use: under the race detector one hash at Meteor's cost 10 takes seconds,
// which would dominate every test that creates a user or logs in.
// Verification reads the cost from the stored hash, so both kinds of hash
// work everywhere.
const bcryptCost = bcrypt.MinCost
