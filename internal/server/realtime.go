package server

import (
	"context"
	"fmt"
	"net"
	"os"
	"runtime"
	"strconv"

	"github.com/liftoff-chat/liftoff/internal/api/ddp"
	"github.com/liftoff-chat/liftoff/internal/core"
	"github.com/liftoff-chat/liftoff/internal/metrics"
	"github.com/liftoff-chat/liftoff/internal/realtime"
)

// startRealtime builds the realtime API — presence, the hub and the DDP
// handler — and subscribes the hub to the bus.
func (s *Server) startRealtime(ctx context.Context) error {
	alone := s.cfg.NATSURL == ""
	s.presence = core.NewPresence(s.core, core.PresenceOptions{Alone: alone, Heartbeat: s.cfg.HeartbeatInterval,
		Info: s.instanceInfo()})
	s.hub = realtime.New(realtime.Config{
		Core: s.core, Bus: s.core.Bus(), Logger: s.log, Presence: s.presence,
		OnSlowConsumer: s.metrics.SlowConsumerClosed,
	})
	if err := s.hub.Start(ctx); err != nil {
		return fmt.Errorf("start realtime hub: %w", err)
	}
	s.presence.Start(ctx)
	s.ddp = ddp.New(ddp.Config{
		Core: s.core, Hub: s.hub, Presence: s.presence, Logger: s.log,
		ObserveMethod: s.metrics.ObserveMethod, ObserveSubscription: s.metrics.ObserveSubscription,
	})
	s.metrics.SetSessionStats(func() metrics.SessionStats {
		d, h := s.ddp.Stats(), s.hub.Stats()
		return metrics.SessionStats{Connections: d.Connections, Sessions: d.Sessions, Authenticated: d.Authenticated, Users: h.Users}
	})
	if !alone {
		s.metrics.SetInstanceCount(s.presence.Instances)
	}
	return nil
}

// stopRealtime tells every DDP client to reconnect elsewhere, then stops
// presence and the hub.
func (s *Server) stopRealtime(ctx context.Context) {
	if s.ddp != nil {
		if err := s.ddp.Shutdown(ctx); err != nil {
			s.log.Warn("closing DDP connections", "error", err)
		}
	}
	if s.presence != nil {
		s.presence.Stop(ctx)
	}
	if s.hub != nil {
		s.hub.Close()
	}
}

// Realtime returns the hub and the DDP handler, for tools that measure
// them (cmd/liftoff-load) and for tests.
func (s *Server) Realtime() (*realtime.Hub, *ddp.Handler) { return s.hub, s.ddp }

// instanceInfo describes this instance in its heartbeats, for
// instances.get.
func (s *Server) instanceInfo() func() core.InstanceInfo {
	host, _ := os.Hostname()
	started := s.core.Started()
	return func() core.InstanceInfo {
		info := core.InstanceInfo{Host: host, PID: os.Getpid(), Version: s.core.Version(), GoVersion: runtime.Version(),
			OS: runtime.GOOS, Arch: runtime.GOARCH, CPUs: runtime.NumCPU(), Started: started}
		if a := s.addr.Load(); a != nil {
			h, p, _ := net.SplitHostPort(*a)
			info.Port, _ = strconv.Atoi(p)
			// An instance listening on every address is reached at its
			// host name.
			if ip := net.ParseIP(h); ip != nil && ip.IsUnspecified() {
				h = host
			}
			info.Address = net.JoinHostPort(h, p)
		}
		return info
	}
}
