package rest

import (
	"regexp"
	"runtime"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/api/wire"
)

func (a *API) infoRoutes() {
	a.handle("GET /api/info", public, a.handleInfo)
}

// minimumClientVersions is what /api/info tells Rocket.Chat's desktop and
// mobile apps about the oldest versions this server works with.
func minimumClientVersions() obj { return obj{"desktop": "3.9.6", "mobile": "4.39.0"} }

// majorMinor matches the part of a version that anonymous callers see.
var majorMinor = regexp.MustCompile(`^v?(\d+\.\d+)`)

// handleInfo answers GET /api/info (Rocket.Chat's getServerInfo): the
// major.minor version and minimumClientVersions to everyone, and the full
// version with build details to callers holding view-statistics. Mobile
// apps gate on the version.
func (a *API) handleInfo(r *Request) (obj, error) {
	v := a.core.Version()
	short := strings.TrimPrefix(v, "v")
	if m := majorMinor.FindStringSubmatch(v); m != nil {
		short = m[1]
	}
	res := obj{"version": short, "minimumClientVersions": minimumClientVersions()}
	if r.Actor == nil || !a.core.Can(r.Context(), r.Actor, "view-statistics", "") {
		return res, nil
	}
	full := strings.TrimPrefix(v, "v")
	res["version"] = full
	res["info"] = obj{
		"version": full,
		"build": obj{
			"date":        wire.FormatISO(a.core.Started()),
			"nodeVersion": runtime.Version(),
			"arch":        runtime.GOARCH,
			"platform":    runtime.GOOS,
			"osRelease":   "",
			"cpus":        runtime.NumCPU(),
		},
		"commit":                obj{},
		"marketplaceApiVersion": "",
	}
	return res, nil
}
