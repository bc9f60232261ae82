package hookscript

// LibraryCompiles returns how many times the library that defines global
// has been compiled in this process.
func LibraryCompiles(global string) int {
	for _, l := range libraries {
		if l.global == global {
			return int(l.compiles.Load())
		}
	}
	return -1
}

// Mentions exposes the rule that decides which libraries a script gets.
var Mentions = mentions
