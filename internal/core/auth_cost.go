//go:build !race

package core

// bcryptCost is Meteor's default, so hashes migrate both ways.
const bcryptCost = 10
