package rest

import (
	"runtime"
	"strings"
)

func (a *API) infoRoutes() {
	a.handle("GET /api/info", public, a.handleInfo)
}

// handleInfo answers GET /api/info: only the major.minor version to
// anonymous callers, build details to logged-in ones (rc-api.md §3.2).
func (a *API) handleInfo(r *Request) (obj, error) {
	v := a.core.Version()
	short := v
	if parts := strings.SplitN(strings.TrimPrefix(v, "v"), ".", 3); len(parts) >= 2 {
		short = parts[0] + "." + parts[1]
	}
	if r.Actor == nil {
		return obj{"version": short}, nil
	}
	return obj{
		"version": v,
		"info": obj{
			"version": v,
			"build": obj{
				"date":        a.core.Started().UTC().Format("2006-01-02T15:04:05.000Z"),
				"nodeVersion": runtime.Version(),
				"arch":        runtime.GOARCH,
				"platform":    runtime.GOOS,
				"cpus":        runtime.NumCPU(),
			},
			"commit": obj{},
		},
	}, nil
}
