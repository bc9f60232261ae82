package rest

import (
	"net"
	"strconv"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/api/wire"
	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/core"
)

// InstanceLister lists the live instances of the deployment, as presence
// learns them from their heartbeats (core.Presence implements it).
type InstanceLister interface {
	LiveInstances() []core.LiveInstance
}

// InstanceRoutes registers instances.get; pass it in Config.Extra. The
// instances come from presence, which the server builds beside the REST
// API.
func InstanceRoutes(l InstanceLister) func(a *API) {
	return func(a *API) {
		a.handle("GET /api/v1/instances.get", authRequired, a.handleInstancesGet(l))
	}
}

// handleInstancesGet answers GET instances.get (Rocket.Chat's
// apps/meteor/app/api/server/v1/instances.ts) for holders of
// view-statistics: {instances: [{address, currentStatus: {connected,
// lastHeartbeatTime, local}, instanceRecord, broadcastAuth}]}. Only live
// instances are listed — those whose heartbeats arrived within the last
// three intervals — so connected is always true; an instance that stopped
// or died drops out of the list.
func (a *API) handleInstancesGet(l InstanceLister) handlerFunc {
	return func(r *Request) (obj, error) {
		if !a.core.Can(r.Context(), r.Actor, "view-statistics", "") {
			return nil, chat.ErrUnauthorizedAction()
		}
		live := l.LiveInstances()
		out := make([]obj, 0, len(live))
		for _, in := range live {
			out = append(out, instanceDoc(in))
		}
		return obj{"instances": out}, nil
	}
}

// instanceDoc renders one instance in Rocket.Chat's shape. Fields that
// describe a Node.js process (nodeVersion, os) carry the Go runtime's
// equivalents.
func instanceDoc(in core.LiveInstance) obj {
	info := in.Info
	host, port := info.Host, ""
	if h, p, err := net.SplitHostPort(info.Address); err == nil {
		host, port = h, p
	}
	if port == "" && info.Port > 0 {
		port = strconv.Itoa(info.Port)
	}
	created := info.Started
	if created.IsZero() {
		created = in.LastHeartbeat
	}
	osType := info.OS
	if osType != "" {
		// Node's os.type(): "Linux", "Darwin", "Windows_NT".
		osType = strings.ToUpper(osType[:1]) + osType[1:]
	}
	record := obj{
		"_id":        in.ID,
		"name":       "liftoff",
		"pid":        info.PID,
		"_createdAt": wire.FormatISO(created),
		"_updatedAt": wire.FormatISO(in.LastHeartbeat),
		"extraInformation": obj{
			"host":        info.Host,
			"port":        port,
			"tcpPort":     info.Port,
			"nodeVersion": info.GoVersion,
			"version":     info.Version,
			"os": obj{
				"type":     osType,
				"platform": info.OS,
				"arch":     info.Arch,
				"cpus":     info.CPUs,
			},
		},
	}
	return obj{
		"address": host,
		"currentStatus": obj{
			"connected":         true,
			"lastHeartbeatTime": in.LastHeartbeat.UnixMilli(),
			"local":             in.Local,
		},
		"instanceRecord": record,
		"broadcastAuth":  true,
	}
}
