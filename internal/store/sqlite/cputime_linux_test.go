package sqlite_test

import (
	"syscall"
	"time"
	"unsafe"
)

// cpuTime returns the CPU time the process has used, so that benchmarks can
// report CPU per operation, which a busy machine disturbs far less than
// wall time.
func cpuTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}

// threadCPU returns the CPU time of the calling thread, in nanoseconds
// (CLOCK_THREAD_CPUTIME_ID). A goroutine locked to its thread can time one
// operation with it, excluding the time other processes had the core.
func threadCPU() (time.Duration, bool) {
	const clockThreadCPUTimeID = 3
	var ts syscall.Timespec
	_, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0)
	if errno != 0 {
		return 0, false
	}
	return time.Duration(ts.Nano()), true
}
