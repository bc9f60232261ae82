package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/config"
	"github.com/liftoff-chat/liftoff/internal/core"
	"github.com/liftoff-chat/liftoff/internal/server"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

// run is the whole program, testable: it reads its arguments and
// environment, and returns when ctx is cancelled or the command is done.
func run(ctx context.Context, args, environ []string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 1 {
		cmd = args[1]
	}
	cfg, err := config.Load(environ)
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	log := newLogger(cfg, stderr)
	switch cmd {
	case "serve":
		return serve(ctx, cfg, log, nil)
	case "healthcheck":
		return healthcheck(ctx, cfg, stdout)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "liftoff", version)
		return nil
	case "migrate":
		st, err := server.OpenStore(ctx, cfg, log)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, "schema is up to date")
		return st.Close()
	case "backup":
		return backup(ctx, cfg, log, args[2:], stdout)
	case "restore":
		return restore(ctx, cfg, log, args[2:], stdout)
	case "admin":
		return admin(ctx, cfg, log, args[2:], stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// serve runs the server. When started is set it receives the bound address
// (tests listen on port 0).
func serve(ctx context.Context, cfg config.Config, log *slog.Logger, started chan<- string) error {
	srv, err := server.New(ctx, cfg, log, version)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr())
	if err != nil {
		srv.Close()
		return err
	}
	if started != nil {
		started <- ln.Addr().String()
	}
	return srv.Serve(ctx, ln)
}

// admin runs the administration subcommands against the configured store.
func admin(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("admin: want create-user or reset-password")
	}
	srv, err := server.New(ctx, cfg, log, version)
	if err != nil {
		return err
	}
	defer srv.Close()
	c := srv.Core()
	switch args[0] {
	case "create-user":
		var pos []string
		isAdmin := false
		for _, a := range args[1:] {
			if a == "--admin" {
				isAdmin = true
				continue
			}
			pos = append(pos, a)
		}
		if len(pos) < 2 {
			return errors.New("admin create-user: want USERNAME PASSWORD [EMAIL] [--admin]")
		}
		nu := core.NewUser{Username: pos[0], Password: pos[1], Verified: true, JoinDefaultChannels: true}
		if len(pos) > 2 {
			nu.Email = pos[2]
		}
		if isAdmin {
			nu.Roles = []string{"admin", "user"}
		}
		u, err := c.AdminCreateUser(ctx, nu)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created user %s (%s) with roles %s\n", u.Username, u.ID, strings.Join(u.Roles, ","))
		return nil
	case "reset-password":
		if len(args) != 3 {
			return errors.New("admin reset-password: want USERNAME PASSWORD")
		}
		if err := c.AdminResetPassword(ctx, args[1], args[2]); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "password of %s changed; their sessions were logged out\n", args[1])
		return nil
	}
	return fmt.Errorf("admin: unknown subcommand %q", args[0])
}

// newLogger builds the process logger: JSON for machines, text for people.
func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
