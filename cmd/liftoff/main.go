// Command liftoff runs the Liftoff chat server and its administration
// subcommands.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Environ(), os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "liftoff:", err)
		os.Exit(1)
	}
}

// usage lists the subcommands.
const usage = `usage: liftoff [command]

commands:
  serve                         run the server (default)
  migrate                       create or upgrade the database schema, then exit
  version                       print the version
  healthcheck                   exit 0 if the local server on $PORT is ready, 1 if not
  backup DEST                   copy the embedded database to DEST while serving
  restore SRC                   replace the embedded database with a backup (server stopped)
  admin create-user USERNAME PASSWORD [EMAIL] [--admin]
                                create a user (an administrator with --admin)
  admin reset-password USERNAME PASSWORD
                                set a user's password and log out their sessions
`
