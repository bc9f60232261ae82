//go:build !linux

package sqlite_test

import "time"

// cpuTime and threadCPU are measured on Linux only.
func cpuTime() (time.Duration, bool)   { return 0, false }
func threadCPU() (time.Duration, bool) { return 0, false }
