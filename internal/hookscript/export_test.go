package hookscript

// LibraryCompiles returns how many times the library in file (moment.js,
// moment/locale/de.js, s.js, underscore.js) has been compiled in this process.
func LibraryCompiles(file string) int {
	for _, l := range append(libraries, momentLocaleList()...) {
		if l.file == file {
			return int(l.compiles.Load())
		}
	}
	return -1
}

// Mentions exposes the rule that decides which libraries a script gets.
var Mentions = mentions

func momentLocaleList() []*library {
	var ls []*library
	for _, l := range momentLocales() {
		ls = append(ls, l)
	}
	return ls
}
